// The scraper's pieces that need no network: prices, CSV quoting, the parser's verdicts on good,
// broken and foreign pages, atomic writes, and the URL template.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "paracon/experiments/scrape.hpp"
#include "paracon/kernels/books.hpp"
#include "paracon/plumbing/files.hpp"

namespace sc = paracon::experiments::scrape;
namespace books = paracon::books;
namespace files = paracon::files;

namespace {

const std::string pound = "\xC2\xA3";

std::string book(const std::string& title, const std::string& price, bool in_stock, bool with_price = true) {
  return "<li><article class=\"product_pod\"><h3><a href=\"x\" title=\"" + title +
         "\">short</a></h3>"
         "<div class=\"product_price\">" +
         (with_price ? "<p class=\"price_color\">" + price + "</p>" : "") +
         (in_stock ? "<p class=\"instock availability\"><i></i>\n   In stock\n</p>"
                   : "<p class=\"outofstock availability\"> Out of stock </p>") +
         "</div></article></li>";
}

std::string page(const std::string& books) {
  return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title></head><body><ol class=\"row\">" + books +
         "</ol></body></html>";
}

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace

TEST(Scrape, PricesInPoundsBecomeExactPence) {
  EXPECT_EQ(books::parse_price(pound + "51.77"), 5177);
  EXPECT_EQ(books::parse_price("\n  " + pound + "0.99 \n"), 99);
  EXPECT_EQ(books::parse_price(pound + "5"), 500);
  EXPECT_EQ(books::parse_price(pound + "5.5"), 550);
  const std::vector<std::string> bad_prices{
      "51.77", pound,        pound + "5.",    pound + "5.123",
      "$5.00", pound + "-1", pound + "1,000", "\xC3\x82" + pound + "5.00" /* mis-decoded: Â£ */};
  for (const std::string& bad : bad_prices) EXPECT_THROW(books::parse_price(bad), books::BadPage) << bad;
}

TEST(Scrape, CsvQuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(books::csv_field("plain title"), "plain title");
  EXPECT_EQ(books::csv_field("a, b"), "\"a, b\"");
  EXPECT_EQ(books::csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(books::csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(books::csv_header(false), "Title,Price,Stock Availability,Price (GBP)\n");
  const std::vector<books::Book> books{{"A, \"B\"", pound + "0.05", false, 5}, {"C", pound + "12.30", true, 1230}};
  EXPECT_EQ(books::csv_rows(books), "\"A, \"\"B\"\"\"," + pound + "0.05,False,0.05\nC," + pound + "12.30,True,12.30\n");
  EXPECT_EQ(books::csv_rows(books, 7).substr(0, 2), "7,");
}

TEST(Scrape, ParsesEveryBookWithItsOwnFields) {
  const auto found = books::parse_page(page(book("Caf&eacute;, &quot;au&quot; lait", pound + "10.00", true) +
                                            book("&#26085;&#26412;", pound + "3.07", false)))
                         .books;
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].title, "Caf\xC3\xA9, \"au\" lait");
  EXPECT_EQ(found[0].price, pound + "10.00");
  EXPECT_TRUE(found[0].in_stock);
  EXPECT_EQ(found[1].title, "\xE6\x97\xA5\xE6\x9C\xAC");
  EXPECT_FALSE(found[1].in_stock);
  EXPECT_EQ(found[1].pence, 307);
}

TEST(Scrape, DeclaredCharsetIsHonoured) {
  // The same page in ISO-8859-1, where the pound sign is the single byte 0xA3.
  const std::string latin1 = page(book("Cr\xE8me",
                                       "\xA3"
                                       "2.50",
                                       true));
  const auto found = books::parse_page(latin1, "ISO-8859-1").books;
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].title, "Cr\xC3\xA8me");
  EXPECT_EQ(found[0].pence, 250);
}

TEST(Scrape, RefusesPagesThatAreNotCatalogues) {
  const auto why = [](const std::string& body) {
    try {
      (void)books::parse_page(body);
    } catch (const books::BadPage& e) {
      return e.why;
    }
    return std::string("accepted");
  };
  EXPECT_EQ(why(""), "empty body");
  EXPECT_EQ(why(std::string("\x89PNG\r\n\x1a\n\0\0\0", 11)), "not HTML (binary body)");
  EXPECT_EQ(why(page("")), "no books on the page");
  EXPECT_EQ(why("{\"json\": true}"), "no books on the page");
  EXPECT_EQ(why(page(book("A", pound + "1.00", true) + book("B", "", true, false))),
            "malformed HTML: book 2 of 2 has no price");
  EXPECT_EQ(why(page(book("A", "1.00", true))), "malformed HTML: book 1 of 1: price '1.00' is not a price in " + pound);
  // Cut off inside the second book, as a dropped connection leaves it.
  const std::string whole = page(book("A", pound + "1.00", true) + book("B", pound + "2.00", true));
  EXPECT_EQ(why(whole.substr(0, whole.find("B\">short") + 20)), "malformed HTML: book 2 of 2 has no price");
}

TEST(Scrape, WritesAtomicallyAndLeavesNoTemporaryFile) {
  const auto dir = std::filesystem::temp_directory_path() / ("paracon-scrape-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  files::write_atomically(dir / "a.csv", "first\n");
  files::write_atomically(dir / "a.csv", "second\n");
  EXPECT_EQ(read(dir / "a.csv"), "second\n");
  EXPECT_THROW(files::write_atomically(dir / "missing" / "b.csv", "x"), files::WriteError);
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 1u);
  std::filesystem::remove_all(dir);
}

TEST(Scrape, UrlTemplateNeedsOnePlaceholder) {
  sc::Options options;
  options.pages = {1};
  options.out = std::filesystem::temp_directory_path();
  options.url = "http://127.0.0.1:8000/catalogue/page-{}.html";
  EXPECT_EQ(sc::check_options(options), "");
  EXPECT_EQ(sc::page_url(options, 42), "http://127.0.0.1:8000/catalogue/page-42.html");
  options.url = "http://127.0.0.1/page.html";
  EXPECT_NE(sc::check_options(options), "");
  options.url = "http://127.0.0.1/{}/{}.html";
  EXPECT_NE(sc::check_options(options), "");
}

TEST(Scrape, InvalidUtf8IsReplacedAndCounted) {
  std::size_t replaced = 0;
  EXPECT_EQ(books::valid_utf8("caf\xC3\xA9 \xE6\x97\xA5", replaced), "caf\xC3\xA9 \xE6\x97\xA5");
  EXPECT_EQ(replaced, 0u);
  const std::string fffd = "\xEF\xBF\xBD";
  // A surrogate (ED A0 80), an overlong '/' (C0 AF), a stray continuation byte, a truncated
  // sequence, beyond U+10FFFF (F4 90 80 80) and a NUL: each bad byte becomes U+FFFD.
  EXPECT_EQ(books::valid_utf8(std::string("a\xED\xA0\x80"
                                          "b\xC0\xAF"
                                          "c\x80"
                                          "d\xE6\x97",
                                          12),
                              replaced),
            "a" + fffd + fffd + fffd + "b" + fffd + fffd + "c" + fffd + "d" + fffd + fffd);
  EXPECT_EQ(replaced, 8u);
  replaced = 0;
  EXPECT_EQ(books::valid_utf8(std::string("\xF4\x90\x80\x80x\0y", 7), replaced),
            fffd + fffd + fffd + fffd + "x" + fffd + "y");
  EXPECT_EQ(replaced, 5u);

  const auto parsed = books::parse_page(page(book("bad \xED\xA0\x80 title", pound + "1.00", true)));
  ASSERT_EQ(parsed.books.size(), 1u);
  EXPECT_EQ(parsed.books[0].title, "bad " + fffd + fffd + fffd + " title");
  EXPECT_EQ(parsed.replaced, 3u);
}

TEST(Scrape, ANulInsideOneTitleLosesNoBook) {
  std::string all;
  for (int k = 0; k < 20; ++k)
    all += book(k == 7 ? std::string("with \0 nul", 10) : "book " + std::to_string(k), pound + "1.00", true);
  const auto parsed = books::parse_page(std::string(8192, ' ') + page(all)); // past the binary check's first 4 KiB
  EXPECT_EQ(parsed.books.size(), 20u);
  EXPECT_EQ(parsed.books[7].title, "with \xEF\xBF\xBD nul");
  EXPECT_EQ(parsed.replaced, 1u);
}

TEST(Scrape, SweepRemovesOnlyTemporariesOfDeadRuns) {
  const auto dir = std::filesystem::temp_directory_path() / ("paracon-sweep-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  std::string name = host;
  for (char& c : name)
    if (c == '.' || c == '/') c = '_';
  const auto touch = [&](const std::string& file) { std::ofstream(dir / file) << "x"; };
  touch(".results_1.csv.paracon." + name + ".999999999.abcdef");                          // no such process
  touch(".results_2.csv.paracon." + name + "." + std::to_string(::getpid()) + ".abcdef"); // this one: alive
  touch(".results_3.csv.paracon.otherhost.999999999.abcdef");                             // another host's
  touch("results_4.csv");                                                                 // not a temporary
  EXPECT_EQ(files::sweep_temporaries(dir), 1u);
  std::size_t left = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++left;
  EXPECT_EQ(left, 3u);
  std::filesystem::remove_all(dir);
}

TEST(Scrape, UrlMustBeHttpHttpsOrFile) {
  sc::Options options;
  options.pages = {1};
  options.out = std::filesystem::temp_directory_path();
  for (const char* good : {"http://h/{}", "HTTPS://h/{}", "file:///tmp/{}.html"}) {
    options.url = good;
    EXPECT_EQ(sc::check_options(options), "") << good;
  }
  for (const char* bad : {"ftp://h/{}", "gopher://h/{}", "h/{}", "{}"}) {
    options.url = bad;
    EXPECT_NE(sc::check_options(options).find("must start with"), std::string::npos) << bad;
  }
}
