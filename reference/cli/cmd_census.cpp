// casblob census: the silent-corruption census (issue #7, reference/census/README.md).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "census/census.hpp"
#include "commands.hpp"
#include "output.hpp"

namespace casblob::cli {
namespace {

// A report file appears whole or not at all; "-" is stdout (checked at exit).
Status write_text(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::cout << text;
    return {};
  }
  auto f = AtomicFileSink::create(path, Durability::process);
  if (!f) return f.error();
  CASBLOB_TRY(f->write(as_bytes(text)));
  return f->commit();
}

void progress_bar(std::uint64_t done, std::uint64_t total) {
  const int width = 40;
  double frac = total ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  int fill = static_cast<int>(frac * width);
  std::string bar(fill, '#');
  bar.resize(width, '.');
  std::fprintf(stderr, "\rcensus [%s] %5.1f%% %llu/%llu mutants", bar.c_str(), frac * 100,
               static_cast<unsigned long long>(done), static_cast<unsigned long long>(total));
  if (done >= total) std::fprintf(stderr, "\n");
  std::fflush(stderr);
}

}  // namespace

void add_census(CLI::App& app, int& exit) {
  struct Opts {
    std::optional<std::string> json, markdown, chart, fixtures, dump;
    unsigned threads = 0;
    std::uint64_t seed = 1;
    std::size_t sample = 20000;
    bool quick = false, exhaustive = false, no_fixtures = false, no_generated = false, no_progress = false;
    std::string argv;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("census",
                                 "Silent-corruption census: mutate valid blobs, read every mutant under each profile, count wrong bytes");
  cmd->add_option("--json", o->json, "Write the JSON report (variant x profile x mutation) to FILE (- = stdout)");
  cmd->add_option("--markdown", o->markdown, "Write the Markdown report to FILE");
  cmd->add_option("--chart", o->chart, "Write an SVG chart of wrong-bytes and unhandled rates to FILE");
  cmd->add_option("--threads", o->threads, "Worker threads (default: all cores)");
  cmd->add_option("--seed", o->seed, "Seed for generated payloads and sampled positions (default 1)");
  cmd->add_flag("--quick", o->quick, "Small payloads and small fixture samples (~50 k mutants)");
  cmd->add_flag("--exhaustive", o->exhaustive,
                "Fixtures too: every bit flip and truncation up to 64 KiB, 20,000 sampled above (slow)");
  cmd->add_option("--fixtures", o->fixtures, "Fixtures folder with manifest.json (default: the repository's)");
  cmd->add_flag("--no-fixtures", o->no_fixtures, "Generated payloads only");
  cmd->add_flag("--no-generated", o->no_generated, "Fixtures only");
  cmd->add_option("--dump-sample", o->dump, "Write a seeded sample of mutants (blob, sidecar, C++ readings) to DIR");
  cmd->add_option("--sample", o->sample, "Mutants in the --dump-sample sample (default 20000)");
  cmd->add_flag("--no-progress", o->no_progress, "No progress bar even on a terminal");
  cmd->callback([o, &exit] {
    census::Options co;
    co.threads = o->threads;
    co.seed = o->seed;
    co.quick = o->quick;
    co.exhaustive = o->exhaustive;
    co.generated = !o->no_generated;
    if (!o->no_fixtures) {
      co.fixtures_dir = o->fixtures ? *o->fixtures : census::default_fixtures_dir();
      std::error_code ec;
      if (!std::filesystem::exists(*co.fixtures_dir + "/manifest.json", ec))
        return void(exit = fail(Error(Errc::usage, "no fixture corpus at " + *co.fixtures_dir +
                                                       " (run from the repository root, or give --fixtures DIR, "
                                                       "CASBLOB_FIXTURES, or --no-fixtures)")));
    }
    if (o->dump) {
      co.dump_dir = *o->dump;
      co.dump_sample = o->sample;
    }
    if (!o->no_progress && isatty(STDERR_FILENO)) co.progress = progress_bar;
    auto res = census::run(co);
    if (!res) return void(exit = fail(res.error()));

    std::string command = "casblob census";
    if (o->quick) command += " --quick";
    if (o->exhaustive) command += " --exhaustive";
    if (o->seed != 1) command += " --seed " + std::to_string(o->seed);
    if (o->threads) command += " --threads " + std::to_string(o->threads);
    if (o->no_fixtures) command += " --no-fixtures";
    if (o->no_generated) command += " --no-generated";
    if (o->fixtures) command += " --fixtures " + *o->fixtures;
    if (o->json) {
      auto s = write_text(*o->json, census::to_json(*res));
      if (!s) return void(exit = fail(s.error()));
    }
    if (o->markdown) {
      auto s = write_text(*o->markdown, census::to_markdown(*res, command));
      if (!s) return void(exit = fail(s.error()));
    }
    if (o->chart) {
      auto s = write_text(*o->chart, census::to_svg(*res));
      if (!s) return void(exit = fail(s.error()));
    }
    // The terminal table goes to stderr when stdout carries a report.
    (o->json == "-" || o->markdown == "-" || o->chart == "-" ? std::cerr : std::cout) << census::to_terminal(*res);
    if (o->dump) std::cerr << "census: " << res->dumped << " mutants dumped to " << *o->dump << "\n";
    exit = 0;
  });
}

}  // namespace casblob::cli
