#include "paracon/kernels/books.hpp"

#include <cctype>
#include <cstdarg>
#include <cstdio>
#include <mutex>
#include <optional>

#include <libxml/HTMLparser.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>

namespace paracon::books {

namespace {

// What libxml2 cannot convert (a page that is not in the charset its server declared) it reports
// through its error functions, which print to stderr unless told otherwise. These are libxml2's
// per-thread state: each parse keeps the messages of its own thread, and they become the page's
// reason, where every other failure of a page is reported.
thread_local std::string* kept_messages = nullptr;

void keep_message(void*, const char* format, ...) {
  if (!kept_messages || kept_messages->size() > 1000) return;
  char text[512];
  va_list arguments;
  va_start(arguments, format);
  std::vsnprintf(text, sizeof text, format, arguments);
  va_end(arguments);
  kept_messages->append(text);
}

void keep_error(void*, xmlErrorPtr error) {
  if (kept_messages && error && error->message && kept_messages->size() <= 1000 &&
      (error->domain == XML_FROM_I18N || error->domain == XML_FROM_IO))
    kept_messages->append(error->message);
}

// The messages of the parses made while it lives, on this thread.
class KeptMessages {
public:
  KeptMessages() {
    kept_messages = &messages;
    xmlSetGenericErrorFunc(nullptr, keep_message);
    xmlSetStructuredErrorFunc(nullptr, keep_error);
  }
  ~KeptMessages() { kept_messages = nullptr; }
  KeptMessages(const KeptMessages&) = delete;
  KeptMessages& operator=(const KeptMessages&) = delete;
  // One line: the first message, its line breaks gone.
  std::string first() const {
    std::string line = messages.substr(0, messages.find('\n'));
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    return line;
  }
  bool empty() const { return messages.empty(); }

private:
  std::string messages;
};

// XPath's way of asking "has the class token X" (class="instock availability" has both).
std::string has_class(const std::string& token) {
  return "contains(concat(' ', normalize-space(@class), ' '), ' " + token + " ')";
}

std::string trim(std::string_view text) {
  const char* space = " \t\r\n\f\v";
  const auto first = text.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(space) - first + 1));
}

// The string value of the first node `expression` selects below `node`; nothing when it
// selects none.
std::optional<std::string> first_string(xmlXPathContextPtr context, xmlNodePtr node, const std::string& expression) {
  xmlXPathObjectPtr found = xmlXPathNodeEval(node, reinterpret_cast<const xmlChar*>(expression.c_str()), context);
  std::optional<std::string> value;
  if (found && found->type == XPATH_NODESET && !xmlXPathNodeSetIsEmpty(found->nodesetval)) {
    xmlChar* text = xmlXPathCastNodeSetToString(found->nodesetval);
    value = reinterpret_cast<const char*>(text);
    xmlFree(text);
  }
  xmlXPathFreeObject(found);
  return value;
}

} // namespace

std::int64_t parse_price(std::string_view text) {
  const std::string price = trim(text);
  const std::string_view pound = "\xC2\xA3"; // £ in UTF-8
  std::string_view digits(price);
  const auto refuse = [&] { return BadPage{"price '" + price + "' is not a price in \xC2\xA3"}; };
  if (!digits.starts_with(pound)) throw refuse();
  digits.remove_prefix(pound.size());
  std::int64_t pounds = 0, pence = 0;
  std::size_t i = 0, whole = 0, fraction = 0;
  for (; i < digits.size() && std::isdigit(static_cast<unsigned char>(digits[i])) && whole < 12; ++i, ++whole)
    pounds = pounds * 10 + (digits[i] - '0');
  if (whole == 0) throw refuse();
  if (i < digits.size() && digits[i] == '.') {
    for (++i; i < digits.size() && std::isdigit(static_cast<unsigned char>(digits[i])) && fraction < 2; ++i, ++fraction)
      pence = pence * 10 + (digits[i] - '0');
    if (fraction == 0) throw refuse();
    if (fraction == 1) pence *= 10;
  }
  if (i != digits.size()) throw refuse();
  return pounds * 100 + pence;
}

std::string valid_utf8(std::string_view text, std::size_t& replaced) {
  static const std::string replacement = "\xEF\xBF\xBD"; // U+FFFD
  std::string out;
  out.reserve(text.size());
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char lead = byte(i);
    // The length of the sequence `lead` starts, and the range its second byte must lie in (that
    // range is what excludes overlong forms, surrogates and code points beyond U+10FFFF).
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;
    if (lead >= 0x01 && lead <= 0x7F)
      length = 1;
    else if (lead >= 0xC2 && lead <= 0xDF)
      length = 2;
    else if (lead == 0xE0)
      length = 3, low = 0xA0;
    else if (lead == 0xED)
      length = 3, high = 0x9F;
    else if (lead >= 0xE1 && lead <= 0xEF)
      length = 3;
    else if (lead == 0xF0)
      length = 4, low = 0x90;
    else if (lead == 0xF4)
      length = 4, high = 0x8F;
    else if (lead >= 0xF1 && lead <= 0xF3)
      length = 4;
    bool good = length > 0 && i + length <= text.size();
    for (std::size_t k = 1; good && k < length; ++k)
      good = k == 1 ? byte(i + 1) >= low && byte(i + 1) <= high : byte(i + k) >= 0x80 && byte(i + k) <= 0xBF;
    if (good) {
      out.append(text.substr(i, length));
      i += length;
    } else { // one replacement per bad byte: simple, and never swallows a good character
      out += replacement;
      ++replaced;
      ++i;
    }
  }
  return out;
}

Page parse_page(std::string_view html, const std::string& encoding) {
  if (html.empty()) throw BadPage{"empty body"};
  if (html.substr(0, 4096).find('\0') != std::string_view::npos) throw BadPage{"not HTML (binary body)"};
  static std::once_flag initialised;
  std::call_once(initialised, xmlInitParser); // libxml2's global state, once, before any parse

  Page page;
  std::string lower = encoding;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const bool utf8 = lower.empty() || lower == "utf-8" || lower == "utf8";
  // A UTF-8 page is repaired before parsing; in another declared charset only NUL bytes are (the
  // parser converts the rest to UTF-8). A NUL would end the parser's input in mid-page.
  std::string body = utf8 ? valid_utf8(html, page.replaced) : std::string(html);
  if (!utf8)
    for (char& c : body)
      if (c == '\0') c = '?', ++page.replaced; // U+FFFD has no byte in a single-byte charset

  const int flags = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET;
  const KeptMessages messages;
  htmlDocPtr doc =
      htmlReadMemory(body.data(), static_cast<int>(body.size()), nullptr, utf8 ? "UTF-8" : encoding.c_str(), flags);
  if (!messages.empty()) {
    if (doc) xmlFreeDoc(doc);
    throw BadPage{"not in the charset its server declared (" + (utf8 ? std::string("UTF-8") : encoding) +
                  "): " + messages.first()};
  }
  if (!doc) throw BadPage{"unparseable HTML"};
  xmlXPathContextPtr context = xmlXPathNewContext(doc);
  const std::string articles_path = "//article[" + has_class("product_pod") + "]";
  xmlXPathObjectPtr articles = xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(articles_path.c_str()), context);

  std::string why;
  const int count = articles && articles->nodesetval ? articles->nodesetval->nodeNr : 0;
  if (count == 0) why = "no books on the page";
  for (int k = 0; k < count && why.empty(); ++k) {
    xmlNodePtr article = articles->nodesetval->nodeTab[k];
    const std::string which = "malformed HTML: book " + std::to_string(k + 1) + " of " + std::to_string(count);
    // The notebook's three look-ups, asked of each book so that a missing field cannot shift
    // the columns against each other as three separate lists would.
    const auto title = first_string(context, article, ".//h3/a/@title");
    const auto price = first_string(context, article, ".//p[" + has_class("price_color") + "]");
    const auto stock = first_string(context, article, ".//p[" + has_class("availability") + "]");
    if (!title)
      why = which + " has no title";
    else if (!price)
      why = which + " has no price";
    else if (!stock)
      why = which + " has no availability";
    else {
      try {
        page.books.push_back(
            {valid_utf8(*title, page.replaced), trim(*price), trim(*stock) == "In stock", parse_price(*price)});
      } catch (const BadPage& e) {
        why = which + ": " + e.why;
      }
    }
  }
  xmlXPathFreeObject(articles);
  xmlXPathFreeContext(context);
  xmlFreeDoc(doc);
  if (!why.empty()) throw BadPage{why};
  return page;
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string csv_header(bool with_page) {
  return std::string(with_page ? "Page," : "") + "Title,Price,Stock Availability,Price (GBP)\n";
}

std::string csv_rows(const std::vector<Book>& books, std::int64_t page) {
  std::string out;
  char number[32];
  for (const Book& book : books) {
    if (page >= 0) out.append(std::to_string(page)).append(",");
    std::snprintf(number, sizeof number, "%lld.%02lld", static_cast<long long>(book.pence / 100),
                  static_cast<long long>(book.pence % 100));
    out.append(csv_field(book.title)).append(",").append(csv_field(book.price)).append(",");
    out.append(book.in_stock ? "True" : "False").append(",").append(number).append("\n");
  }
  return out;
}

} // namespace paracon::books
