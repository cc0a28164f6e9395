// Where the AWS tools (and Metaflow, through boto3) find endpoint, credentials and region
// (spec 4.2.2): the environment, then the shared credentials and config files.
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "casblob/s3_storage.hpp"

namespace casblob {
namespace {

// One INI file as the AWS CLI reads it: "[section]" headers, "key = value" lines, '#' and ';'
// comments; indented lines continue a nested block (e.g. "s3 =\n  addressing_style = path")
// and are skipped, since casblob reads only top-level keys.
using IniFile = std::map<std::string, std::map<std::string, std::string>>;

std::string trim(std::string s) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

Result<IniFile> parse_ini(std::istream& in, const std::string& shown) {
  IniFile ini;
  std::string line, section;
  int number = 0;
  bool in_section = false;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string t = trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (std::isspace(static_cast<unsigned char>(line[0]))) continue;  // nested block
    if (t.front() == '[') {
      if (t.back() != ']') return Error(Errc::usage, shown + ":" + std::to_string(number) + ": malformed section header");
      section = trim(t.substr(1, t.size() - 2));
      ini[section];
      in_section = true;
      continue;
    }
    auto eq = t.find('=');
    if (eq == std::string::npos || !in_section)
      return Error(Errc::usage, shown + ":" + std::to_string(number) + ": expected \"key = value\" inside a [section]");
    ini[section][trim(t.substr(0, eq))] = trim(t.substr(eq + 1));
  }
  return ini;
}

// A file named by a variable must exist; the default one may be absent.
Result<std::optional<IniFile>> load_ini(const EnvLookup& getenv, const std::string& variable, const std::string& default_name) {
  std::string path;
  bool named = false;
  if (auto v = getenv(variable); v && !v->empty()) {
    path = *v;
    named = true;
  } else if (auto home = getenv("HOME"); home && !home->empty()) {
    path = *home + "/.aws/" + default_name;
  } else {
    return std::optional<IniFile>();
  }
  std::ifstream in(path);
  if (!in) {
    if (named) return Error(Errc::usage, variable + " names " + path + ", which cannot be read");
    return std::optional<IniFile>();
  }
  auto ini = parse_ini(in, path);
  if (!ini) return ini.error();
  return std::optional<IniFile>(std::move(*ini));
}

const std::map<std::string, std::string>* section_of(const std::optional<IniFile>& ini, const std::string& name) {
  if (!ini) return nullptr;
  auto it = ini->find(name);
  return it == ini->end() ? nullptr : &it->second;
}

std::optional<std::string> value_of(const std::map<std::string, std::string>* section, const std::string& key) {
  if (!section) return std::nullopt;
  auto it = section->find(key);
  if (it == section->end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::optional<std::string> first_set(const EnvLookup& getenv, std::initializer_list<const char*> names) {
  for (const char* n : names)
    if (auto v = getenv(n); v && !v->empty()) return v;
  return std::nullopt;
}

}  // namespace

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
}

Result<S3Options> s3_options_from_environment(const EnvLookup& getenv, const std::string& endpoint_override) {
  S3Options o;
  const auto profile_var = first_set(getenv, {"AWS_PROFILE"});
  const std::string profile = profile_var.value_or("default");
  auto credentials_file = load_ini(getenv, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
  if (!credentials_file) return credentials_file.error();
  auto config_file = load_ini(getenv, "AWS_CONFIG_FILE", "config");
  if (!config_file) return config_file.error();
  const auto* cred_section = section_of(*credentials_file, profile);
  // The config file names non-default profiles "[profile NAME]" (and accepts "[default]").
  const auto* conf_section = section_of(*config_file, profile == "default" ? "default" : "profile " + profile);
  if (profile_var && !cred_section && !conf_section)
    return Error(Errc::usage, "AWS_PROFILE names profile \"" + profile + "\", which neither ~/.aws/credentials nor ~/.aws/config defines");

  if (!endpoint_override.empty()) {
    o.endpoint_url = endpoint_override;
  } else if (auto e = first_set(getenv, {"METAFLOW_S3_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"})) {
    o.endpoint_url = *e;
  } else if (auto e = value_of(conf_section, "endpoint_url")) {
    o.endpoint_url = *e;
  }

  if (auto r = first_set(getenv, {"AWS_REGION", "AWS_DEFAULT_REGION"})) {
    o.region = *r;
  } else if (auto r = value_of(conf_section, "region")) {
    o.region = *r;
  }

  auto key = first_set(getenv, {"AWS_ACCESS_KEY_ID"});
  auto secret = first_set(getenv, {"AWS_SECRET_ACCESS_KEY"});
  if (key && secret) {
    o.credentials = S3Credentials{*key, *secret, first_set(getenv, {"AWS_SESSION_TOKEN"}).value_or(""), "environment"};
    return o;
  }
  for (auto [section, file] : {std::pair{cred_section, "credentials"}, std::pair{conf_section, "config"}}) {
    auto k = value_of(section, "aws_access_key_id");
    auto s = value_of(section, "aws_secret_access_key");
    if (k && s) {
      o.credentials = S3Credentials{*k, *s, value_of(section, "aws_session_token").value_or(""),
                                    "profile " + profile + " in ~/.aws/" + file};
      return o;
    }
  }
  return o;  // no credentials: S3Storage::open says so, naming every place it looked
}

}  // namespace casblob
