// Path-aware, typed reading of config objects.
#include "config/json_reader.hpp"

namespace config {

ObjectReader::ObjectReader(const nlohmann::json* value, std::string path, Errors& errors)
    : value_(value), path_(std::move(path)), errors_(errors) {
  if (value_ != nullptr && !value_->is_object()) {
    errors_.push_back(path_ + ": must be an object");
    value_ = nullptr;
  }
}

ObjectReader::~ObjectReader() {
  finish();
}

std::string ObjectReader::path_of(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void ObjectReader::error(std::string_view key, std::string_view reason) {
  errors_.push_back(path_of(key) + ": " + std::string(reason));
}

bool ObjectReader::has(std::string_view key) const {
  return value_ != nullptr && value_->contains(std::string(key));
}

const nlohmann::json* ObjectReader::find(std::string_view key) {
  seen_.emplace(key);
  if (value_ == nullptr) return nullptr;
  auto it = value_->find(std::string(key));
  return it == value_->end() ? nullptr : &*it;
}

bool ObjectReader::read_string(std::string_view key, std::string& out, bool required) {
  const auto* v = find(key);
  if (v == nullptr) {
    if (required) error(key, "is required");
    return false;
  }
  if (!v->is_string()) {
    error(key, "must be a string");
    return false;
  }
  out = v->get<std::string>();
  if (required && out.empty()) {
    error(key, "must not be empty");
    return false;
  }
  return true;
}

bool ObjectReader::read_integer(std::string_view key, long long& out, long long min, long long max,
                                bool required) {
  const auto* v = find(key);
  if (v == nullptr) {
    if (required) error(key, "is required");
    return false;
  }
  if (!v->is_number_integer()) {
    error(key, "must be an integer");
    return false;
  }
  const long long n = v->get<long long>();
  if (n < min || n > max) {
    error(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return false;
  }
  out = n;
  return true;
}

void ObjectReader::string(std::string_view key, std::string& out, bool required) {
  read_string(key, out, required);
}

void ObjectReader::boolean(std::string_view key, bool& out) {
  const auto* v = find(key);
  if (v == nullptr) return;
  if (!v->is_boolean()) return error(key, "must be true or false");
  out = v->get<bool>();
}

ObjectReader ObjectReader::object(std::string_view key) {
  return ObjectReader(find(key), path_of(key), errors_);
}

void ObjectReader::array(
    std::string_view key,
    const std::function<void(const nlohmann::json&, const std::string&)>& each) {
  const auto* v = find(key);
  if (v == nullptr) return;
  if (!v->is_array()) return error(key, "must be an array");
  for (std::size_t i = 0; i < v->size(); ++i)
    each((*v)[i], path_of(key) + "[" + std::to_string(i) + "]");
}

void ObjectReader::strings(std::string_view key, std::vector<std::string>& out) {
  const auto* v = find(key);
  if (v == nullptr) return;
  if (!v->is_array()) return error(key, "must be an array of strings");
  out.clear();
  for (std::size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      errors_.push_back(path_of(key) + "[" + std::to_string(i) + "]: must be a string");
      continue;
    }
    out.push_back((*v)[i].get<std::string>());
  }
}

void ObjectReader::flags(std::string_view key, std::map<std::string, bool, std::less<>>& out) {
  const auto* v = find(key);
  if (v == nullptr) return;
  if (!v->is_object()) return error(key, "must be an object of names to true or false");
  out.clear();
  for (auto it = v->begin(); it != v->end(); ++it) {
    if (!it->is_boolean()) {
      errors_.push_back(path_of(key) + "." + it.key() + ": must be true or false");
      continue;
    }
    out[it.key()] = it->get<bool>();
  }
}

void ObjectReader::finish() {
  if (finished_) return;
  finished_ = true;
  if (value_ == nullptr) return;
  for (auto it = value_->begin(); it != value_->end(); ++it)
    if (!seen_.contains(it.key())) errors_.push_back(path_of(it.key()) + ": unknown key");
}

}  // namespace config
