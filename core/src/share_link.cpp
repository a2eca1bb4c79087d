#include "cvc/share_link.hpp"

#include <array>
#include <cstdint>

namespace cvc {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::array<std::int8_t, 256> decode_table() {
  std::array<std::int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  }
  return table;
}
constexpr auto kDecode = decode_table();

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

Error link_error(const std::string& message) {
  return Error{"link", message};
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[k]));
  };
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kAlphabet[(v >> shift) & 63]);
  }
  if (const std::size_t rest = bytes.size() - i; rest > 0) {
    const std::uint32_t v = byte(i) << 16 | (rest == 2 ? byte(i + 1) << 8 : 0);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    if (rest == 2) out.push_back(kAlphabet[(v >> 6) & 63]);
  }
  return out;
}

Expected<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) {
    return link_error(
        "The link is incomplete: its data ends part-way through a character "
        "(it may have been cut off when it was copied).");
  }
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  std::uint32_t bits = 0;
  int count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const int v = kDecode[static_cast<unsigned char>(text[i])];
    if (v < 0) {
      const auto c = static_cast<unsigned char>(text[i]);
      const std::string shown = c >= 0x20 && c < 0x7f ? "\"" + std::string(1, text[i]) + "\""
                                                      : "byte " + std::to_string(c);
      return link_error("The link is damaged: " + shown + " at position " + std::to_string(i + 1) +
                        " of its data cannot be part of a share link (it may have been changed "
                        "when it was copied).");
    }
    bits = bits << 6 | static_cast<std::uint32_t>(v);
    if (++count == 4) {
      out.push_back(static_cast<char>(bits >> 16 & 0xff));
      out.push_back(static_cast<char>(bits >> 8 & 0xff));
      out.push_back(static_cast<char>(bits & 0xff));
      bits = 0;
      count = 0;
    }
  }
  // A final group of 2 or 3 characters carries 1 or 2 bytes; its unused low bits must be 0
  // (RFC 4648 §3.5 canonical encoding), so each link has exactly one spelling.
  if (count == 2) {
    if ((bits & 0xf) != 0) return link_error("The link is damaged: its last characters are wrong.");
    out.push_back(static_cast<char>(bits >> 4 & 0xff));
  } else if (count == 3) {
    if ((bits & 0x3) != 0) return link_error("The link is damaged: its last characters are wrong.");
    out.push_back(static_cast<char>(bits >> 10 & 0xff));
    out.push_back(static_cast<char>(bits >> 2 & 0xff));
  }
  return out;
}

std::string share_fragment(std::string_view compressed) {
  return std::string(kShareLinkPrefix) + base64url_encode(compressed);
}

Expected<std::string> share_payload(std::string_view link) {
  while (!link.empty() && is_space(link.front())) link.remove_prefix(1);
  while (!link.empty() && is_space(link.back())) link.remove_suffix(1);
  if (const auto hash = link.find('#'); hash != std::string_view::npos) {
    link.remove_prefix(hash + 1);
  } else if (link.find("://") != std::string_view::npos) {
    link = {};  // an address with no fragment at all
  }
  if (link.empty()) return link_error("The link has no calculator data after the \"#\".");
  if (link.size() > kMaxShareLinkLength) {
    return link_error("The link is too long to be a share link (" + std::to_string(link.size()) +
                      " characters; at most " + std::to_string(kMaxShareLinkLength) + ").");
  }
  if (link.substr(0, kShareLinkPrefix.size()) != kShareLinkPrefix) {
    // "cvc7.…": a format this page does not know (from a newer calculator, in practice).
    std::size_t digits = 3;
    while (digits < link.size() && link[digits] >= '0' && link[digits] <= '9') ++digits;
    if (link.substr(0, 3) == "cvc" && digits > 3 && digits < link.size() && link[digits] == '.') {
      return link_error("This share link uses format " + std::string(link.substr(3, digits - 3)) +
                        ", which this page does not read (it reads format 1); it was probably "
                        "made by a newer version of the calculator.");
    }
    return link_error(
        "This is not a Customer Value Calculator share link: the part after "
        "\"#\" should start with \"" +
        std::string(kShareLinkPrefix) + "\".");
  }
  link.remove_prefix(kShareLinkPrefix.size());
  if (link.empty()) return link_error("The link is incomplete: it has no data after \"cvc1.\".");
  return base64url_decode(link);
}

}  // namespace cvc
