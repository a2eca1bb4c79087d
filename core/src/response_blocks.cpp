#include "cvc/response_blocks.hpp"

namespace cvc {

void ResponseBlocks::begin(const Model& target) {
  target_ = target;
  begin_(target_);
}

bool ResponseBlocks::row(const double* answers, const std::uint8_t* membership,
                         const double* metrics, std::string_view id) {
  buffers_.answers.insert(buffers_.answers.end(), answers, answers + target_.items.size());
  buffers_.membership.insert(buffers_.membership.end(), membership,
                             membership + target_.segments.size());
  if (metrics != nullptr) {
    buffers_.metrics.insert(buffers_.metrics.end(), metrics, metrics + kMetricCount);
  }
  buffers_.ids.emplace_back(id);
  return ++pending_ < kStatsBlockRows || flush();
}

bool ResponseBlocks::flush() {
  if (pending_ == 0) return status_.ok();
  ResponseInput input = buffers_.input(pending_);
  input.first_row_number = rows_ + 1;
  auto block = Responses::from_input(target_, input);
  if (!block.ok()) {
    status_ = block.error();
    return false;
  }
  visit_(block.value(), rows_);
  rows_ += pending_;
  pending_ = 0;
  buffers_.answers.clear();
  buffers_.membership.clear();
  buffers_.metrics.clear();
  buffers_.ids.clear();
  return true;
}

}  // namespace cvc
