// Writes the fuzz targets' seed corpora from the project's fixtures:
//   fuzz_make_corpus <source dir> <output dir>
// fills <output dir>/csv, /model, /share_link and /survey_parts (tests/fuzz/corpus is the
// committed output).
// CSV and model seeds are the fixture files as they are; share-link seeds are made by the
// core the way the page makes them (project JSON, zlib, base64url): a bare model, a project
// with an imported survey and customer table, and a project without data, each as a link and
// as raw project JSON. Keep the corpus small: seeds are starting points, not a test suite.
// The regress-* seeds are kept by hand: inputs that once broke a target (each bug also has a
// Catch2 test in tests/native/test_robustness.cpp); this program leaves them alone.
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "../native/part_source.hpp"
#include "cvc/calculator.hpp"
#include "cvc/json_io.hpp"
#include "cvc/share_link.hpp"
#include "cvc/survey_transfer.hpp"
#include "fuzz_common.hpp"

namespace fs = std::filesystem;
using cvc::fuzz::describe;
using cvc::fuzz::fail;

namespace {

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("read", path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  if (!out) fail("write", path.string());
  std::printf("%s (%zu bytes)\n", path.string().c_str(), bytes.size());
}

std::string link(const std::string& project_json) {
  return "https://example.org/customer-value-calculator.html#" +
         cvc::share_fragment(cvc::fuzz::deflate_bytes(project_json)) + "\n";
}

void import_csv(cvc::Calculator& calc, const std::string& bytes) {
  auto preview = calc.begin_csv_import(bytes);
  if (!preview.ok()) fail("survey preview", describe(preview.error()));
  const auto& p = preview.value();
  auto staged =
      calc.stage_csv_import(p.proposed, p.delimiter, p.decimal_comma, p.proposed_satisfaction);
  if (!staged.ok()) fail("survey stage", describe(staged.error()));
  if (auto s = calc.commit_import(); !s.ok()) fail("survey commit", describe(s.error()));
}

void import_customers(cvc::Calculator& calc, const std::string& bytes) {
  auto preview = calc.begin_customer_import(bytes);
  if (!preview.ok()) fail("customer preview", describe(preview.error()));
  const auto& p = preview.value();
  auto staged = calc.stage_customer_import(p.proposed, p.delimiter, p.decimal_comma);
  if (!staged.ok()) fail("customer stage", describe(staged.error()));
  if (auto s = calc.commit_customer_import(); !s.ok()) fail("customer commit");
}

// A survey_parts seed: the header line, then every array's bytes in order.
std::string with_arrays(const std::string& header, const cvc::Responses& responses) {
  std::string out = header + "\n";
  for (const auto& part : responses.parts()) {
    out.append(static_cast<const char*>(part.data), part.bytes);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: fuzz_make_corpus <source dir> <output dir>\n");
    return 2;
  }
  const fs::path src = argv[1];
  const fs::path out = argv[2];

  for (const auto& entry : fs::directory_iterator(src / "tests/fixtures/csv")) {
    write(out / "csv" / entry.path().filename(), read(entry.path()));
  }
  write(out / "model/worked-example.json", read(src / "tests/fixtures/worked-example.json"));
  const std::string sample_model = read(src / "web/sample/model.json");
  write(out / "model/sample-model.json", sample_model);
  const std::string fuzz_model(cvc::fuzz::kModelJson);
  write(out / "model/fuzz-model.json", fuzz_model);

  // A bare model as a link (the page reads it as a project without data).
  write(out / "share_link/sample-model.link", link(sample_model));

  // The small survey's model, its survey imported from CSV and the customer fixture.
  const auto survey_fixture =
      cvc::parse_json(read(src / "tests/fixtures/small-survey.json"), "small-survey.json");
  if (!survey_fixture.ok()) fail("small-survey.json", describe(survey_fixture.error()));
  cvc::Calculator calc;
  const std::string model_json = cvc::dump_compact(survey_fixture.value().at("model"));
  if (auto s = calc.load_model_json(model_json); !s.ok()) fail("model", describe(s.error()));
  import_csv(calc, read(src / "tests/fixtures/csv/small-survey.csv"));
  import_customers(calc, read(src / "tests/fixtures/csv/customers.csv"));
  const std::string project = calc.project_json();
  write(out / "share_link/small-project.json", project);
  write(out / "share_link/small-project.link", link(project));
  write(out / "share_link/model-only.link", link(calc.project_json(false, false)));

  // Survey arrays: the small survey kept for its model (as the autosave keeps it), and the
  // same file checked for the fuzz model (as the import worker sends it).
  const std::string survey_header = "{\"model\":" + calc.model_json() + ",\"survey\":" +
                                    cvc::survey_parts_header(calc.model(), calc.responses()) + "}";
  write(out / "survey_parts/kept-survey.bin", with_arrays(survey_header, calc.responses()));
  const cvc::Calculator fuzz_calc = cvc::fuzz::calculator_with_model();
  const std::string csv = read(src / "tests/fixtures/csv/small-survey.csv");
  auto preview = cvc::preview_survey_csv(csv, fuzz_calc.model());
  if (!preview.ok()) fail("fuzz-model preview", describe(preview.error()));
  auto staged = cvc::stage_survey_import(cvc::MemorySource(csv), fuzz_calc.model(),
                                         preview.value().proposed, ',', false);
  if (!staged.ok()) fail("fuzz-model stage", describe(staged.error()));
  write(out / "survey_parts/checked-import.bin",
        with_arrays(cvc::staged_import_header(staged.value()), staged.value().responses));

  // The same file checked in two parts and joined (as two import workers send it): the header,
  // then the arrays in the order the page's join asks for them (each array of the survey: the
  // first part's, then the second's).
  {
    const std::size_t split = csv.find('\n', csv.size() / 2) + 1;
    const auto read_part = [&](std::size_t begin, std::size_t end, bool first) {
      auto part = cvc::StagePart::read(cvc_test::PartSource(csv, begin, end, 1), first,
                                       fuzz_calc.model(), preview.value().proposed, ',', false);
      if (!part.ok()) fail("fuzz-model stage part", describe(part.error()));
      return std::move(part).value();
    };
    cvc::StagePart first = read_part(0, split, true);
    const cvc::StagePart second = read_part(split, csv.size(), false);
    const auto later = second.parts();
    std::string stream;
    const auto recording = [&stream](const std::vector<cvc::Responses::Part>& parts) {
      return [&stream, &parts](std::size_t index, void* dest, std::size_t bytes) {
        if (index >= parts.size() || parts[index].bytes != bytes) return false;
        std::memcpy(dest, parts[index].data, bytes);
        stream.append(static_cast<const char*>(parts[index].data), bytes);
        return true;
      };
    };
    const cvc::Responses::PartFill ids = [&](std::size_t index, void* dest, std::size_t bytes) {
      return later.size() >= 2 && recording(later)(later.size() - 2 + index, dest, bytes);
    };
    auto joined = first.join(second.to_bytes(), ids);
    if (!joined.ok()) fail("fuzz-model join", describe(joined.error()));
    const std::string header = cvc::staged_import_header(joined.value());
    stream.clear();
    const auto earlier = first.parts();
    const cvc::Responses::PartFill later_fill = recording(later);
    if (!cvc::staged_import_from_parts(header, recording(earlier), &later_fill).ok()) {
      fail("fuzz-model joined import");
    }
    write(out / "survey_parts/joined-import.bin", header + "\n" + stream);
  }

  // The fuzz model with the MRR customer table: MRR columns and their labels.
  cvc::Calculator mrr = cvc::fuzz::calculator_with_model();
  import_customers(mrr, read(src / "tests/fixtures/csv/customers-mrr.csv"));
  write(out / "share_link/mrr-project.json", mrr.project_json());
  return 0;
}
