// Error names, details and exit codes are a public contract (spec 9, R-ERR-1, R-ERR-2). These
// tests check the properties of the tables in error.hpp; the values themselves have one home
// (src/common/error.cpp), and every copy elsewhere is compared with `casblob --list-errors`.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "casblob/error.hpp"

using namespace casblob;

namespace {

bool snake_case(std::string_view s) {
  return !s.empty() && s.front() != '_' && s.back() != '_' &&
         s.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string_view::npos;
}

bool one_line(std::string_view s) { return !s.empty() && s.find('\n') == std::string_view::npos; }

}  // namespace

TEST_CASE("the error table lists every Errc once, with a snake_case name that round-trips", "[error]") {
  std::set<Errc> listed;
  std::set<std::string_view> names;
  for (const auto& e : error_table()) {
    INFO(e.name);
    CHECK(listed.insert(e.code).second);
    CHECK(names.insert(e.name).second);
    CHECK(snake_case(e.name));
    CHECK(name(e.code) == e.name);
    CHECK(errc_from_name(e.name) == e.code);
    CHECK(one_line(e.meaning));
  }
  // Errc is contiguous from ok to usage (its last enumerator): every one but ok is listed.
  for (int i = static_cast<int>(Errc::ok) + 1; i <= static_cast<int>(Errc::usage); ++i)
    CHECK(listed.count(static_cast<Errc>(i)) == 1);
  CHECK(listed.count(Errc::ok) == 0);
  CHECK(name(Errc::ok) == "ok");
  CHECK(errc_from_name("ok") == Errc::ok);
  CHECK_FALSE(errc_from_name("no_such_error"));
  CHECK_FALSE(errc_from_name("Corrupt"));
}

TEST_CASE("every error exits with its own code, never 0 or 1, and exit_code() agrees with the table", "[error]") {
  std::set<int> codes;
  for (const auto& e : error_table()) {
    INFO(e.name);
    CHECK(codes.insert(e.exit_code).second);
    CHECK(e.exit_code > kExitInternalError);
    CHECK(e.exit_code < 126);  // 126+ mean "not executable", "not found" and signals to a shell
    CHECK(exit_code(e.code) == e.exit_code);
  }
  CHECK(exit_code(Errc::ok) == 0);
  CHECK(exit_code(static_cast<Errc>(999)) == kExitInternalError);
}

TEST_CASE("the exit-code table is success, internal error, then one row per error, by code", "[error]") {
  auto table = exit_code_table();
  REQUIRE(table.size() == error_table().size() + 2);
  CHECK(table[0].code == 0);
  CHECK(table[0].name.empty());
  CHECK(table[1].code == kExitInternalError);
  CHECK(table[1].name.empty());
  for (std::size_t i = 1; i < table.size(); ++i) CHECK(table[i - 1].code < table[i].code);
  for (std::size_t i = 2; i < table.size(); ++i) {
    INFO(table[i].name);
    auto code = errc_from_name(table[i].name);
    REQUIRE(code);
    CHECK(exit_code(*code) == table[i].code);
  }
  for (const auto& row : table) CHECK(one_line(row.meaning));
}

TEST_CASE("the detail table lists every Detail once - only corrupt carries details", "[error]") {
  std::set<Detail> listed;
  std::set<std::string_view> names;
  for (const auto& d : detail_table()) {
    INFO(d.name);
    CHECK(listed.insert(d.detail).second);
    CHECK(names.insert(d.name).second);
    CHECK(snake_case(d.name));
    CHECK(name(d.detail) == d.name);
    CHECK(one_line(d.meaning));
  }
  for (int i = static_cast<int>(Detail::none) + 1; i <= static_cast<int>(Detail::data); ++i)
    CHECK(listed.count(static_cast<Detail>(i)) == 1);
  CHECK(name(Detail::none) == "none");
  std::set<Errc> detailed;
  for (const auto& e : error_table())
    if (e.has_details) detailed.insert(e.code);
  CHECK(detailed == std::set<Errc>{Errc::corrupt});
}

TEST_CASE("label joins name and detail", "[error]") {
  for (const auto& d : detail_table())
    CHECK(Error(Errc::corrupt, "x", d.detail).label() == "corrupt/" + std::string(d.name));
  for (const auto& e : error_table()) CHECK(Error(e.code, "x").label() == e.name);
}

TEST_CASE("label_to overwrites what the string held with the label", "[error]") {
  // The audit keeps one string per outcome and labels every blob's errors into it: a label
  // shorter than the last one must not keep the last one's tail.
  std::string s = "corrupt/checksum and then some text longer than any label";
  Error(Errc::unhandled, "x").label_to(s);
  CHECK(s == "unhandled");
  Error(Errc::corrupt, "x", Detail::checksum).label_to(s);
  CHECK(s == "corrupt/checksum");
  for (const auto& e : error_table()) {
    Error(e.code, "x").label_to(s);
    CHECK(s == Error(e.code, "x").label());
  }
}

TEST_CASE("a Status keeps its error through copies and moves - an ok one reads as Errc::ok", "[error]") {
  Status ok;
  CHECK(ok.ok());
  CHECK(ok.code() == Errc::ok);
  CHECK(ok.error().code == Errc::ok);
  CHECK(ok.error().message.empty());
  CHECK(Status(Error{}).ok());  // an Error whose code is ok is success

  Status bad = Error(Errc::corrupt, "lz4: invalid lz4 block at byte 7", Detail::data);
  REQUIRE_FALSE(bad.ok());
  Status copy = bad;
  Status assigned;
  assigned = copy;
  assigned = assigned;  // self-assignment keeps the error
  for (const Status* s : {&bad, &copy, &assigned}) {
    CHECK_FALSE(s->ok());
    CHECK(s->code() == Errc::corrupt);
    CHECK(s->error().detail == Detail::data);
    CHECK(s->error().message == "lz4: invalid lz4 block at byte 7");
  }
  Status moved = std::move(copy);
  CHECK(moved.error().label() == "corrupt/data");
  copy = ok;  // a moved-from Status can be assigned again
  CHECK(copy.ok());
  assigned = Status{};
  CHECK(assigned.ok());
  CHECK(bad.error().message == "lz4: invalid lz4 block at byte 7");  // copies are independent
}
