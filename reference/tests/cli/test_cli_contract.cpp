// `casblob --list-errors` and `--list-profiles` print the library's contract tables: the
// output the repository's contract check compares every other copy with.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>

#include "casblob/error.hpp"
#include "casblob/profile.hpp"
#include "support.hpp"

using namespace casblob;
using nlohmann::json;

namespace {

test::CommandResult cli(std::vector<std::string> args) {
  args.insert(args.begin(), CASBLOB_CLI);
  return test::run_command(args);
}

json one_json_object(const test::CommandResult& r) {
  std::string out(r.stdout_bytes.begin(), r.stdout_bytes.end());
  REQUIRE(!out.empty());
  CHECK(out.back() == '\n');
  CHECK(out.find('\n') == out.size() - 1);  // exactly one line
  return json::parse(out);
}

}  // namespace

TEST_CASE("casblob --list-errors --json prints the error and exit-code tables as one JSON object", "[cli][contract]") {
  auto r = cli({"--list-errors", "--json"});
  REQUIRE(r.exit == 0);
  json doc = one_json_object(r);
  REQUIRE(doc.is_object());
  CHECK(doc.size() == 2);
  REQUIRE(doc["errors"].size() == error_table().size());
  for (std::size_t i = 0; i < error_table().size(); ++i) {
    const auto& want = error_table()[i];
    const json& got = doc["errors"][i];
    INFO(want.name);
    CHECK(got["name"] == want.name);
    CHECK(got["exit_code"] == want.exit_code);
    CHECK(got["meaning"] == want.meaning);
    CHECK(got.contains("details") == want.has_details);
    if (want.has_details) {
      REQUIRE(got["details"].size() == detail_table().size());
      for (std::size_t j = 0; j < detail_table().size(); ++j) CHECK(got["details"][j] == detail_table()[j].name);
    }
  }
  auto codes = exit_code_table();
  REQUIRE(doc["exit_codes"].size() == codes.size());
  for (std::size_t i = 0; i < codes.size(); ++i) {
    CHECK(doc["exit_codes"][i]["code"] == codes[i].code);
    CHECK(doc["exit_codes"][i].contains("name") == !codes[i].name.empty());
    CHECK(doc["exit_codes"][i]["meaning"] == codes[i].meaning);
  }
}

TEST_CASE("casblob --list-profiles --json prints the profile table as one JSON object", "[cli][contract]") {
  auto r = cli({"--list-profiles", "--json"});
  REQUIRE(r.exit == 0);
  json doc = one_json_object(r);
  REQUIRE(doc.size() == 1);
  REQUIRE(doc["profiles"].size() == profile_table().size());
  for (std::size_t i = 0; i < profile_table().size(); ++i) {
    CHECK(doc["profiles"][i]["name"] == profile_table()[i].name);
    CHECK(doc["profiles"][i]["models"] == profile_table()[i].models);
    CHECK(doc["profiles"][i]["promise"] == profile_table()[i].promise);
  }
}

TEST_CASE("the listing flags print readable tables without --json and refuse misuse with usage", "[cli][contract]") {
  auto errors = cli({"--list-errors"});
  REQUIRE(errors.exit == 0);
  std::string text(errors.stdout_bytes.begin(), errors.stdout_bytes.end());
  for (const auto& e : error_table()) CHECK(text.find(std::string(e.name)) != std::string::npos);
  for (const auto& d : detail_table()) CHECK(text.find(std::string(d.name)) != std::string::npos);
  auto profiles = cli({"--list-profiles"});
  REQUIRE(profiles.exit == 0);
  std::string ptext(profiles.stdout_bytes.begin(), profiles.stdout_bytes.end());
  for (const auto& p : profile_table()) CHECK(ptext.find(std::string(p.promise)) != std::string::npos);

  const int usage = exit_code(Errc::usage);
  CHECK(cli({"--list-errors", "--list-profiles"}).exit == usage);
  CHECK(cli({"--json"}).exit == usage);
  CHECK(cli({}).exit == usage);
  auto with_sub = cli({"--list-errors", "inspect", "/nonexistent/casblob-test-blob"});
  CHECK(with_sub.exit == usage);
  CHECK(with_sub.stdout_bytes.empty());  // the subcommand did not run
}
