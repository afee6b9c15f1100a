// A catalogue page's books, as notebook 001's appendix reads and saves them: every
// `article.product_pod` of the page's HTML, with its `h3 > a[title]`, `p.price_color` and
// `p.availability`, found by libxml2's HTML parser and XPath (BeautifulSoup's part in the
// notebook); and the books as the notebook's CSV, quoted as pandas quotes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace paracon::books {

// One row of the notebook's DataFrame, plus the price as a number (pence, exact).
struct Book {
  std::string title; // the h3 link's title attribute: the full title, UTF-8
  std::string price; // as printed on the page: "£51.77"
  bool in_stock = false;
  std::int64_t pence = 0;
};

// Why a page's books cannot be read, as people read it ("no books on the page").
struct BadPage {
  std::string why;
};

// A page's books, and how many bytes of it were not valid UTF-8 (or were NUL) and were
// replaced by U+FFFD: the CSV is always UTF-8, and the page is named in a warning.
struct Page {
  std::vector<Book> books;
  std::size_t replaced = 0;
};

// The books of one catalogue page. Throws BadPage when the body is not HTML, holds no books, or
// a book lacks a field (malformed or truncated HTML). `encoding` is the charset the server
// declared; empty means UTF-8.
Page parse_page(std::string_view html, const std::string& encoding = {});

// "£51.77" -> 5177. Throws BadPage for anything that is not a price in pounds.
std::int64_t parse_price(std::string_view text);

// `text` with every byte sequence that is not well-formed UTF-8 (overlong forms, surrogates,
// stray continuation bytes, beyond U+10FFFF) and every NUL replaced by U+FFFD; `replaced`
// counts them.
std::string valid_utf8(std::string_view text, std::size_t& replaced);

// CSV as pandas writes it (RFC 4180): a field is quoted when it holds a comma, a quote or a
// line break, with quotes doubled. The header is the notebook's, plus the numeric price.
std::string csv_field(std::string_view text);
std::string csv_header(bool with_page);
std::string csv_rows(const std::vector<Book>& books, std::int64_t page = -1); // page >= 0: first column

} // namespace paracon::books
