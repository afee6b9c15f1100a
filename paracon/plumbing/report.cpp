#include "paracon/plumbing/report.hpp"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace paracon {

std::string worker_name(std::size_t index, const std::string& default_prefix) {
  static const char* const notebook[] = {"Bar", "ba", "dos"};
  if (index < std::size(notebook)) return notebook[index];
  return default_prefix + "-" + std::to_string(index + 1);
}

std::string show(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

std::string format_seconds(double seconds) {
  char text[32];
  const double magnitude = seconds < 0 ? -seconds : seconds;
  if (magnitude == 0) return "0 s";
  if (magnitude >= 1000)
    std::snprintf(text, sizeof text, "%.0f s", seconds);
  else if (magnitude >= 1)
    std::snprintf(text, sizeof text, "%.3g s", seconds);
  else if (magnitude >= 1e-3)
    std::snprintf(text, sizeof text, "%.3g ms", seconds * 1e3);
  else
    std::snprintf(text, sizeof text, "%.3g us", seconds * 1e6);
  return text;
}

Json Value::json() const {
  return std::visit([](const auto& v) { return Json(v); }, v_);
}

std::string Value::text() const {
  if (const auto* s = std::get_if<std::string>(&v_)) return *s;
  return json().dump();
}

Report::Report(std::string experiment, std::string model, bool json)
    : experiment_(std::move(experiment)), model_(std::move(model)), json_(json), object_(std::make_unique<Json>()) {
  (*object_)["experiment"] = experiment_;
  (*object_)["model"] = model_;
}

Report::~Report() = default;

Report& Report::add(const std::string& key, Value value, std::string label, std::string text) {
  if (text.empty()) text = value.text();
  lines_.push_back({label.empty() ? key : std::move(label), std::move(text)});
  (*object_)[key] = value.json();
  return *this;
}

Report& Report::add_json(const std::string& key, Json value) {
  (*object_)[key] = std::move(value);
  return *this;
}

Report& Report::line(std::string label, std::string text) {
  lines_.push_back({std::move(label), std::move(text)});
  return *this;
}

Report& Report::verdict(bool valid, std::string why) {
  if (!judged_ || (valid_ && !valid)) {
    valid_ = valid;
    why_ = std::move(why);
  }
  judged_ = true;
  return *this;
}

void Report::print_title(const std::string& subtitle) const {
  if (json_) return;
  std::printf("%s [%s] %s\n", experiment_.c_str(), model_.c_str(), subtitle.c_str());
  std::fflush(stdout);
}

void Report::print() const {
  if (json_) {
    Json object = *object_;
    object["valid"] = valid_;
    if (!valid_) object["failure"] = why_;
    std::printf("%s\n", object.dump().c_str());
  } else {
    std::size_t width = 0;
    for (const auto& line : lines_) width = std::max(width, line.label.size());
    for (const auto& line : lines_)
      std::printf("  %-*s  %s\n", static_cast<int>(width), line.label.c_str(), line.text.c_str());
    if (valid_)
      std::printf("Solution validates\n");
    else
      std::printf("Solution does NOT validate: %s\n", why_.c_str());
  }
  std::fflush(stdout);
}

} // namespace paracon
