// The benchmark driver behind scripts/bench. The same source is built natively and with
// Emscripten (run under node), so the two measure the same C++ on the same data:
//
//   cvc_bench import MODEL.json SURVEY.csv [--repeat N] [--kernel-loops N]
//       CSV import through the calculator (preview, check against the proposed mapping,
//       commit: parse + validate + store), then results() right after the import and after
//       weight changes, and the kernels on their own. Prints one JSON object on stdout.
//   cvc_bench run COMMAND [ARGS...]          (native only)
//       Runs a command with its stdout discarded and prints its wall time, exit status and
//       maximum resident set size (getrusage of the child), for when /usr/bin/time is absent.
//
// Times are the best of N runs (wall clock, std::chrono::steady_clock).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#ifndef __EMSCRIPTEN__
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#include "cvc/byte_source.hpp"
#include "cvc/calculator.hpp"
#include "cvc/json_io.hpp"
#include "cvc/survey_import.hpp"
#include "cvc/survey_stats.hpp"
#include "cvc/survey_transfer.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double micros_since(Clock::time_point start) {
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

// Bytes of linear memory in use by the wasm module (its heap); 0 natively.
double heap_bytes() {
#ifdef __EMSCRIPTEN__
  return static_cast<double>(__builtin_wasm_memory_size(0)) * 65536.0;
#else
  return 0;
#endif
}

int fail(const std::string& message) {
  std::fprintf(stderr, "cvc_bench: %s\n", message.c_str());
  return 1;
}

// The bytes [begin, end) of a file in memory, its head the file's start: a part of a file
// checked by two workers.
class RangeSource : public cvc::ByteSource {
 public:
  RangeSource(std::string_view file, std::size_t begin, std::size_t end)
      : file_(file), begin_(begin), end_(end) {}
  std::string_view head() const override { return file_.substr(0, 65536); }
  cvc::Status feed(cvc::CsvReader& reader) const override {
    for (std::size_t at = begin_; at < end_; at += kSlice) {
      if (!reader.feed(file_.substr(at, std::min(kSlice, end_ - at)))) break;
    }
    return cvc::Status::success();
  }

 private:
  static constexpr std::size_t kSlice = 8 << 20;
  std::string_view file_;
  std::size_t begin_;
  std::size_t end_;
};

// The check in two parts (StagePart), each step timed on its own: the two workers read their
// parts at once, so the page waits about max(read) + bytes + append + finish.
struct TwoPartTimes {
  double read[2] = {1e300, 1e300};
  double bytes = 1e300;
  double join = 1e300;   // in the first worker: the second part's bytes and ids, the header
  double adopt = 1e300;  // in the page: both parts' arrays into one survey, every value checked
};

cvc::Status time_two_parts(const cvc::Model& model, const std::string& bytes,
                           const cvc::CsvPreview& p, std::size_t rows, TwoPartTimes& best) {
  const std::size_t split = bytes.find('\n', bytes.size() / 2) + 1;
  auto start = Clock::now();
  auto first = cvc::StagePart::read(RangeSource(bytes, 0, split), true, model, p.proposed,
                                    p.delimiter, p.decimal_comma, &p.proposed_satisfaction);
  best.read[0] = std::min(best.read[0], micros_since(start));
  start = Clock::now();
  auto second =
      cvc::StagePart::read(RangeSource(bytes, split, bytes.size()), false, model, p.proposed,
                           p.delimiter, p.decimal_comma, &p.proposed_satisfaction);
  best.read[1] = std::min(best.read[1], micros_since(start));
  if (!first.ok()) return first.error();
  if (!second.ok()) return second.error();
  cvc::StagePart whole = std::move(first).value();
  start = Clock::now();
  const std::string later = second.value().to_bytes();
  const auto parts = second.value().parts();
  best.bytes = std::min(best.bytes, micros_since(start));
  const auto fill_from = [](const std::vector<cvc::Responses::Part>& from) {
    return [&from](std::size_t index, void* dest, std::size_t size) {
      if (index >= from.size() || from[index].bytes != size) return false;
      if (size != 0) std::memcpy(dest, from[index].data, size);
      return true;
    };
  };
  // As the page's workers do it: the first joins the second's bytes and ids (its last two
  // arrays) and sends the header; the page adopts both parts' arrays.
  start = Clock::now();
  const auto all = fill_from(parts);
  auto joined = whole.join(later, [&](std::size_t index, void* dest, std::size_t size) {
    return parts.size() >= 2 && all(parts.size() - 2 + index, dest, size);
  });
  if (!joined.ok()) return joined.error();
  const std::string header = cvc::staged_import_header(joined.value());
  best.join = std::min(best.join, micros_since(start));
  const auto first_parts = whole.parts();
  const cvc::Responses::PartFill later_fill = fill_from(parts);
  start = Clock::now();
  auto staged = cvc::staged_import_from_parts(header, fill_from(first_parts), &later_fill);
  best.adopt = std::min(best.adopt, micros_since(start));
  if (!staged.ok()) return staged.error();
  if (staged.value().responses.rows() != rows) return cvc::Error{"bench", "two parts: rows differ"};
  return cvc::Status::success();
}

int run_import(const std::string& model_path, const std::string& survey_path, int repeat,
               int kernel_loops) {
  std::string model_json, bytes;
  if (!read_file(model_path, model_json)) return fail("cannot read " + model_path);
  if (!read_file(survey_path, bytes)) return fail("cannot read " + survey_path);
  double best_import = 1e300, best_first = 1e300, best_weight = 1e300, best_json = 1e300;
  // The import's three steps, each the best of the runs (so they need not add up to import_us).
  double preview_us = 1e300, stage_us = 1e300, commit_us = 1e300;
  double best_first_move = 1e300;
  double best_adopt = 1e300;  // the survey rebuilt from its parts, as the page adopts the worker's
                              // // the first weight change after an import: rows counted once
  double best_stats = 1e300, best_from_stats = 1e300, best_histogram = 1e300;
  TwoPartTimes two_parts;
  std::size_t rows = 0;
  for (int run = 0; run < repeat; ++run) {
    cvc::Calculator calc;
    if (auto s = calc.load_model_json(model_json); !s.ok()) return fail(s.error().message);
    std::string copy = bytes;  // the calculator keeps its own copy, as the page's does
    auto start = Clock::now();
    auto preview = calc.begin_csv_import(std::move(copy));
    if (!preview.ok()) return fail(preview.error().message);
    const double previewed = micros_since(start);
    const auto& p = preview.value();
    auto staged =
        calc.stage_csv_import(p.proposed, p.delimiter, p.decimal_comma, p.proposed_satisfaction);
    if (!staged.ok()) return fail(staged.error().message);
    const double checked = micros_since(start);
    if (auto s = calc.commit_import(); !s.ok()) return fail(s.error().message);
    const double took = micros_since(start);
    best_import = std::min(best_import, took);
    preview_us = std::min(preview_us, previewed);
    stage_us = std::min(stage_us, checked - previewed);
    commit_us = std::min(commit_us, took - checked);
    rows = calc.response_rows();
    {
      auto model = cvc::load_model(model_json);
      if (!model.ok()) return fail(model.error().message);
      if (auto s = time_two_parts(model.value(), bytes, p, rows, two_parts); !s.ok()) {
        return fail(s.error().message);
      }
    }

    // What the page's main thread does with the worker's checked import (from_parts: every
    // value and id checked again).
    const auto parts = calc.responses().parts();
    const std::string header = cvc::survey_parts_header(calc.model(), calc.responses());
    start = Clock::now();
    auto adopted = cvc::survey_from_parts(calc.model(), header,
                                          [&](std::size_t index, void* dest, std::size_t size) {
                                            if (index >= parts.size() || parts[index].bytes != size)
                                              return false;
                                            if (size != 0)
                                              std::memcpy(dest, parts[index].data, size);
                                            return true;
                                          });
    best_adopt = std::min(best_adopt, micros_since(start));
    if (!adopted.ok()) return fail(adopted.error().message);

    start = Clock::now();
    const auto& first = calc.results();
    best_first = std::min(best_first, micros_since(start));
    if (first.overall.respondents == 0) return fail("no complete respondents");

    start = Clock::now();
    const std::string json = calc.results_json();
    best_json = std::min(best_json, micros_since(start));

    // The kernels on their own: building the statistics (once per data change), results
    // from them (per weight change), and the histogram's two passes over the columns.
    cvc::SurveyStats stats;
    for (int k = 0; k < kernel_loops; ++k) {
      start = Clock::now();
      stats = cvc::survey_stats(calc.model(), calc.responses());
      best_stats = std::min(best_stats, micros_since(start));
    }
    for (int k = 0; k < kernel_loops; ++k) {
      start = Clock::now();
      const auto from_stats = cvc::compute_value_results(calc.model(), stats);
      best_from_stats = std::min(best_from_stats, micros_since(start));
      start = Clock::now();
      const auto histogram = cvc::net_value_histogram(calc.model(), calc.responses());
      best_histogram = std::min(best_histogram, micros_since(start));
      if (histogram.counts.empty() || from_stats.overall.respondents == 0) return fail("empty");
    }

    // A slider moving: each change is followed by results(), as the page does.
    const std::string item = calc.model().items.front().id;
    for (int step = 0; step < 5; ++step) {
      if (auto s = calc.set_weight(item, static_cast<double>(step % 2 == 0 ? 3 : 7)); !s.ok()) {
        return fail(s.error().message);
      }
      start = Clock::now();
      (void)calc.results();
      const double took = micros_since(start);
      if (step == 0) best_first_move = std::min(best_first_move, took);
      best_weight = std::min(best_weight, took);
    }
  }
  nlohmann::json out{
      {"survey", survey_path},
      {"bytes", bytes.size()},
      {"rows", rows},
      {"repeat", repeat},
      {"import_us", best_import},
      {"import_mib_per_s", static_cast<double>(bytes.size()) / 1048576.0 / (best_import / 1e6)},
      {"import_preview_us", preview_us},
      {"import_stage_us", stage_us},
      {"import_commit_us", commit_us},
      {"adopt_parts_us", best_adopt},
      {"stage_part_read_us", {two_parts.read[0], two_parts.read[1]}},
      {"stage_part_bytes_us", two_parts.bytes},
      {"stage_part_join_us", two_parts.join},
      {"stage_part_adopt_us", two_parts.adopt},
      {"results_after_import_us", best_first},
      {"results_json_us", best_json},
      {"results_after_weight_us", best_weight},
      {"results_first_move_us", best_first_move},
      {"stats_build_us", best_stats},
      {"results_from_stats_us", best_from_stats},
      {"histogram_us", best_histogram},
      {"heap_bytes", heap_bytes()}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

#ifndef __EMSCRIPTEN__
int run_command(char** argv) {
  const auto start = Clock::now();
  const pid_t child = fork();
  if (child < 0) return fail("cannot start a process");
  if (child == 0) {
    if (std::freopen("/dev/null", "w", stdout) == nullptr) _exit(127);
    execvp(argv[0], argv);
    _exit(127);
  }
  int status = 0;
  struct rusage usage {};
  if (wait4(child, &status, 0, &usage) < 0) return fail("wait4 failed");
  nlohmann::json out{{"wall_s", micros_since(start) / 1e6},
                     {"exit_status", WIFEXITED(status) ? WEXITSTATUS(status) : -1},
                     {"max_rss_kib", usage.ru_maxrss}};  // Linux reports kilobytes
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
#endif

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  int repeat = 3;
  int kernel_loops = 5;
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--repeat") repeat = std::max(1, std::atoi(args[i + 1].c_str()));
    if (args[i] == "--kernel-loops") kernel_loops = std::max(1, std::atoi(args[i + 1].c_str()));
  }
#ifndef __EMSCRIPTEN__
  if (args.size() >= 2 && args[0] == "run") return run_command(argv + 2);
#endif
  if (args.size() >= 3 && args[0] == "import") {
    return run_import(args[1], args[2], repeat, kernel_loops);
  }
  std::fprintf(stderr,
               "usage: cvc_bench import MODEL.json SURVEY.csv [--repeat N] [--kernel-loops N]\n"
               "       cvc_bench run COMMAND [ARGS...]\n");
  return 2;
}
