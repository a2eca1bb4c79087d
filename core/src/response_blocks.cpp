#include "cvc/response_blocks.hpp"

#include <algorithm>

namespace cvc {

void ResponseBlocks::begin(const Model& target) {
  target_ = target;
  buffers_ = ResponseBuffers();
  pending_ = 0;
  rows_ = 0;
  status_ = Status::success();
  begin_(target_);
}

void ResponseBlocks::add_segment(const Segment& segment) {
  // The pending rows' membership gets a column more (rows × segments, row-major).
  const std::size_t before = target_.segments.size();
  target_.segments.push_back(segment);
  std::vector<std::uint8_t>& m = buffers_.membership;
  m.resize(pending_ * (before + 1));
  for (std::size_t r = pending_; r-- > 0;) {
    std::copy_backward(m.begin() + r * before, m.begin() + (r + 1) * before,
                       m.begin() + r * (before + 1) + before);
    m[r * (before + 1) + before] = 0;
  }
}

void ResponseBlocks::end(const Model& target, const std::vector<std::size_t>& order) {
  if (!flush()) return;
  target_ = target;
  end_(target_, order);
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
