// Census reports: JSON, Markdown, a terminal table, an SVG chart (written by hand).
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "census/census.hpp"

namespace casblob::census {
namespace {

using nlohmann::json;

std::string pct(std::uint64_t n, std::uint64_t d) {
  if (d == 0) return "-";
  if (n == 0) return "0";
  double r = 100.0 * static_cast<double>(n) / static_cast<double>(d);
  char buf[32];
  if (r >= 10) std::snprintf(buf, sizeof buf, "%.1f%%", r);
  else if (r >= 1) std::snprintf(buf, sizeof buf, "%.2f%%", r);
  else if (r >= 0.01) std::snprintf(buf, sizeof buf, "%.3f%%", r);
  else std::snprintf(buf, sizeof buf, "%.2g%%", r);
  return buf;
}

json counts_json(const Counts& c) {
  json j;
  j["mutants"] = c.mutants;
  for (int o = 0; o < kOutcomes; ++o) j[std::string(name(static_cast<Outcome>(o)))] = c.outcome[o];
  json errors = json::object();
  for (int e = 1; e < kErrcCount; ++e)
    if (c.errors[e]) errors[std::string(name(static_cast<Errc>(e)))] = c.errors[e];
  j["errors"] = errors;
  json details = json::object();
  for (int d = 0; d < kDetailCount; ++d)
    if (c.details[d]) details[d == 0 ? "none" : std::string(name(static_cast<Detail>(d)))] = c.details[d];
  j["corrupt_details"] = details;
  return j;
}

json rows_json(const Results& r, int source) {
  json rows = json::array();
  for (int v = 0; v < kVariants; ++v)
    for (int p = 0; p < kProfiles; ++p)
      for (int m = 0; m < kMutations; ++m) {
        Counts c = r.merged_source(source, v, p, m);
        if (!c.mutants) continue;
        json j;
        j["variant"] = std::string(name(static_cast<Variant>(v)));
        j["profile"] = std::string(name(kAllProfiles[p]));
        j["mutation"] = std::string(name(static_cast<Mutation>(m)));
        j.update(counts_json(c));
        rows.push_back(j);
      }
  return rows;
}

json summary_json(const Results& r, int source) {
  json rows = json::array();
  for (int v = 0; v < kVariants; ++v)
    for (int p = 0; p < kProfiles; ++p) {
      Counts c = r.merged_source(source, v, p, -1);
      if (!c.mutants) continue;
      json j;
      j["variant"] = std::string(name(static_cast<Variant>(v)));
      j["profile"] = std::string(name(kAllProfiles[p]));
      j["mutation"] = "all";
      j.update(counts_json(c));
      j["wrong_bytes_rate"] = static_cast<double>(c.outcome[2]) / static_cast<double>(c.mutants);
      j["unhandled_rate"] = static_cast<double>(c.outcome[3]) / static_cast<double>(c.mutants);
      rows.push_back(j);
    }
  return rows;
}

constexpr int kStrict = profile_index(Profile::strict);
static_assert(kStrict >= 0);

// Mutants per variant (each mutant is read under every profile: use the strict column).
std::uint64_t variant_mutants(const Results& r, int source, int v) {
  return r.merged_source(source, v, kStrict, -1).mutants;
}

}  // namespace

std::string to_json(const Results& r) {
  json j;
  j["schema"] = "casblob-census/1";
  j["total_mutants"] = r.total_mutants;
  j["reads"] = r.total_mutants * kProfiles;
  j["seconds"] = std::round(r.seconds * 1000) / 1000;
  j["setup_seconds"] = std::round(r.setup_seconds * 1000) / 1000;
  j["cpu_seconds"] = std::round(r.cpu_seconds * 1000) / 1000;
  j["threads"] = r.threads;
  j["seed"] = r.seed;
  j["quick"] = r.quick;
  j["outcomes"] = {"correct", "clean_error", "wrong_bytes", "unhandled"};
  json inputs = json::object();
  for (int s = 0; s < 2; ++s) {
    json src = json::object();
    for (int v = 0; v < kVariants; ++v) {
      if (!r.inputs[s][v]) continue;
      src[std::string(name(static_cast<Variant>(v)))] = {{"inputs", r.inputs[s][v]},
                                                          {"stored_bytes", r.stored_bytes[s][v]},
                                                          {"mutants", variant_mutants(r, s, v)}};
    }
    inputs[s ? "fixtures" : "generated"] = src;
  }
  j["inputs"] = inputs;
  j["summary"] = summary_json(r, -1);
  j["rows"] = rows_json(r, -1);
  j["sources"] = {{"generated", {{"summary", summary_json(r, 0)}, {"rows", rows_json(r, 0)}}},
                  {"fixtures", {{"summary", summary_json(r, 1)}, {"rows", rows_json(r, 1)}}}};
  return j.dump(1) + "\n";
}

std::string to_terminal(const Results& r) {
  std::ostringstream o;
  char line[256];
  std::snprintf(line, sizeof line, "%-24s %-9s %10s %10s %10s %10s %9s %9s %9s\n", "variant", "profile", "mutants",
                "correct", "clean_err", "wrong", "wrong%", "unhandled", "unh%");
  o << line;
  for (int v = 0; v < kVariants; ++v) {
    for (int p = 0; p < kProfiles; ++p) {
      Counts c = r.merged(v, p, -1);
      if (!c.mutants) continue;
      std::snprintf(line, sizeof line, "%-24s %-9s %10llu %10llu %10llu %10llu %9s %9llu %9s\n",
                    std::string(name(static_cast<Variant>(v))).c_str(), std::string(name(kAllProfiles[p])).c_str(),
                    static_cast<unsigned long long>(c.mutants), static_cast<unsigned long long>(c.outcome[0]),
                    static_cast<unsigned long long>(c.outcome[1]), static_cast<unsigned long long>(c.outcome[2]),
                    pct(c.outcome[2], c.mutants).c_str(), static_cast<unsigned long long>(c.outcome[3]),
                    pct(c.outcome[3], c.mutants).c_str());
      o << line;
    }
  }
  std::snprintf(line, sizeof line, "%llu mutants x %d profiles in %.1f s (setup %.1f s, CPU %.1f s; %u threads, seed %llu%s)\n",
                static_cast<unsigned long long>(r.total_mutants), kProfiles, r.seconds, r.setup_seconds, r.cpu_seconds,
                r.threads,
                static_cast<unsigned long long>(r.seed), r.quick ? ", quick" : "");
  o << line;
  return o.str();
}

namespace {

void md_summary(std::ostringstream& o, const Results& r, int source) {
  o << "| variant | profile | mutants | correct | clean_error | wrong_bytes | wrong_bytes rate | unhandled | unhandled rate |\n"
       "|---|---|---:|---:|---:|---:|---:|---:|---:|\n";
  for (int v = 0; v < kVariants; ++v)
    for (int p = 0; p < kProfiles; ++p) {
      Counts c = r.merged_source(source, v, p, -1);
      if (!c.mutants) continue;
      o << "| " << name(static_cast<Variant>(v)) << " | " << name(kAllProfiles[p]) << " | " << c.mutants << " | "
        << c.outcome[0] << " | " << c.outcome[1] << " | " << c.outcome[2] << " | " << pct(c.outcome[2], c.mutants)
        << " | " << c.outcome[3] << " | " << pct(c.outcome[3], c.mutants) << " |\n";
    }
}

}  // namespace

std::string to_markdown(const Results& r, const std::string& command) {
  std::ostringstream o;
  o << "# Silent-corruption census\n\n";
  char buf[256];
  std::snprintf(buf, sizeof buf, "%llu mutants, each read under %d profiles (%llu reads), in %.1f s (CPU %.1f s) on %u threads; seed %llu%s.\n\n",
                static_cast<unsigned long long>(r.total_mutants), kProfiles,
                static_cast<unsigned long long>(r.total_mutants * kProfiles), r.seconds, r.cpu_seconds, r.threads,
                static_cast<unsigned long long>(r.seed), r.quick ? " (--quick)" : "");
  o << buf;
  if (!command.empty()) o << "Command: `" << command << "`\n\n";
  o << "Outcomes: `correct` = the bytes returned hash to the key; `clean_error` = the reader's clean "
       "error (Metaflow's DataException, or a named strict error); `wrong_bytes` = bytes returned without "
       "error that do not hash to the key (silent corruption); `unhandled` = the modelled Python reader raises "
       "something other than its clean error. Strict reads with the key known.\n\n";
  o << "## All inputs (generated payloads and valid fixtures)\n\n";
  md_summary(o, r, -1);
  o << "\n## Generated payloads only\n\n";
  md_summary(o, r, 0);
  o << "\n## Valid fixtures only\n\n";
  md_summary(o, r, 1);
  o << "\n## Inputs\n\n| source | variant | inputs | stored bytes | mutants |\n|---|---|---:|---:|---:|\n";
  for (int s = 0; s < 2; ++s)
    for (int v = 0; v < kVariants; ++v)
      if (r.inputs[s][v])
        o << "| " << (s ? "fixtures" : "generated") << " | " << name(static_cast<Variant>(v)) << " | " << r.inputs[s][v]
          << " | " << r.stored_bytes[s][v] << " | " << variant_mutants(r, s, v) << " |\n";
  o << "\n## By mutation class (all inputs): wrong_bytes / unhandled per profile\n\n| variant | mutation | mutants";
  for (Profile p : kAllProfiles) o << " | " << name(p) << " wrong | " << name(p) << " unh.";
  o << " | strict errors |\n|---|---|---:";
  for (int p = 0; p < kProfiles; ++p) o << "|---:|---:";
  o << "|---|\n";
  for (int v = 0; v < kVariants; ++v)
    for (int m = 0; m < kMutations; ++m) {
      Counts any = r.merged(v, kStrict, m);
      if (!any.mutants) continue;
      o << "| " << name(static_cast<Variant>(v)) << " | " << name(static_cast<Mutation>(m)) << " | " << any.mutants;
      for (int p = 0; p < kProfiles; ++p) {
        Counts c = r.merged(v, p, m);
        o << " | " << c.outcome[2] << " (" << pct(c.outcome[2], c.mutants) << ") | " << c.outcome[3];
      }
      std::string errs;
      for (int e = 1; e < kErrcCount; ++e)
        if (any.errors[e]) errs += (errs.empty() ? "" : ", ") + std::string(name(static_cast<Errc>(e))) + " " + std::to_string(any.errors[e]);
      o << " | " << errs << " |\n";
    }
  return o.str();
}

std::string to_svg(const Results& r) {
  // One colour per profile, kAllProfiles order (a new profile needs one more here).
  const char* colors[] = {"#8c564b", "#d62728", "#ff7f0e", "#9467bd", "#2ca02c"};
  static_assert(static_cast<int>(std::size(colors)) == kProfiles);
  const int W = 1000, panel_h = 300, top = 70, left = 90, right = 30, gap = 70, pad = 45;
  const int H = top + 20 + 2 * (panel_h + pad) + gap + 75;
  const double decades = 6;  // 100% down to 0.0001%
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W << "\" height=\"" << H << "\" viewBox=\"0 0 " << W << " "
    << H << "\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n";
  o << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "<text x=\"%d\" y=\"28\" font-size=\"18\" font-weight=\"bold\">Silent corruption census: "
                "%llu mutants x %d reader profiles</text>\n",
                left, static_cast<unsigned long long>(r.total_mutants), kProfiles);
  o << buf;
  std::snprintf(buf, sizeof buf,
                "<text x=\"%d\" y=\"48\" fill=\"#444\">Share of mutants per variant and profile (log scale; \"0\" = none). "
                "seed %llu%s, %.1f s (CPU %.1f s)</text>\n",
                left, static_cast<unsigned long long>(r.seed), r.quick ? ", --quick" : "", r.seconds, r.cpu_seconds);
  o << buf;
  const int plot_w = W - left - right;
  const double group_w = static_cast<double>(plot_w) / kVariants;
  const double bar_w = group_w * 0.8 / kProfiles;

  auto panel = [&](int y0, int outcome, const char* title) {
    std::snprintf(buf, sizeof buf, "<text x=\"%d\" y=\"%d\" font-size=\"14\" font-weight=\"bold\">%s</text>\n", left,
                  y0 - 8, title);
    o << buf;
    y0 += pad;  // room for the value labels above 100% bars
    // Axis and decade grid.
    for (int d = 0; d <= decades; ++d) {
      double y = y0 + panel_h * d / decades;
      static const char* labels[] = {"100%", "10%", "1%", "0.1%", "0.01%", "0.001%", "0.0001%"};
      std::snprintf(buf, sizeof buf,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#444\">%s</text>\n",
                    left, y, W - right, y, left - 6, y + 4, labels[d]);
      o << buf;
    }
    std::snprintf(buf, sizeof buf, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>\n", left, y0, left,
                  y0 + panel_h);
    o << buf;
    std::snprintf(buf, sizeof buf, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>\n", left,
                  y0 + panel_h, W - right, y0 + panel_h);
    o << buf;
    for (int v = 0; v < kVariants; ++v) {
      double gx = left + group_w * v + group_w * 0.1;
      for (int p = 0; p < kProfiles; ++p) {
        Counts c = r.merged(v, p, -1);
        double x = gx + bar_w * p;
        double rate = c.mutants ? static_cast<double>(c.outcome[outcome]) / static_cast<double>(c.mutants) : 0;
        std::string label = c.mutants ? pct(c.outcome[outcome], c.mutants) : "-";
        double y = y0 + panel_h;
        if (rate > 0) {
          double lg = std::max(-decades, std::log10(rate));
          double h = panel_h * (lg + decades) / decades;
          h = std::max(h, 2.0);
          y = y0 + panel_h - h;
          std::snprintf(buf, sizeof buf,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s / %s: %s</title></rect>\n",
                        x + 1, y, bar_w - 2, h, colors[p], std::string(name(static_cast<Variant>(v))).c_str(),
                        std::string(name(kAllProfiles[p])).c_str(), label.c_str());
          o << buf;
        }
        std::snprintf(buf, sizeof buf,
                      "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"start\" "
                      "transform=\"rotate(-90 %.1f %.1f)\">%s</text>\n",
                      x + bar_w / 2 + 3, y - 4, x + bar_w / 2 + 3, y - 4, label.c_str());
        o << buf;
      }
      std::snprintf(buf, sizeof buf, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-weight=\"bold\">%s</text>\n",
                    left + group_w * (v + 0.5), y0 + panel_h + 18, std::string(name(static_cast<Variant>(v))).c_str());
      o << buf;
    }
  };
  panel(top + 20, 2, "wrong_bytes: bytes returned without error that do not hash to the key");
  panel(top + 20 + panel_h + pad + gap, 3, "unhandled: the modelled Python reader raises something other than its clean error");
  // Legend.
  int ly = H - 16;
  for (int p = 0; p < kProfiles; ++p) {
    int lx = left + p * 150;
    std::snprintf(buf, sizeof buf,
                  "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>\n", lx,
                  ly - 11, colors[p], lx + 20, ly, std::string(name(kAllProfiles[p])).c_str());
    o << buf;
  }
  o << "</svg>\n";
  return o.str();
}

}  // namespace casblob::census
