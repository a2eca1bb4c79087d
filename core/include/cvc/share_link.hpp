// Share links: a project in the URL fragment, never sent to a server (browsers do not send
// the part after '#'). The fragment is "cvc1." followed by the base64url text (RFC 4648 §5,
// no padding) of the project JSON compressed in the zlib format (RFC 1950), whose Adler-32
// checksum lets the page tell a damaged link from a good one. Compression is the browser's
// (CompressionStream "deflate"); this file does the parts that need checking: the prefix,
// strict base64url, and the limits. The decompressed JSON then goes through load_project().
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "cvc/status.hpp"

namespace cvc {

inline constexpr std::string_view kShareLinkPrefix = "cvc1.";
/// Longer fragments are refused before any work: Chromium keeps URLs up to 2 MB, and a link
/// is meant for a model and a modest survey (larger work goes in a project file).
inline constexpr std::size_t kMaxShareLinkLength = 2 * 1024 * 1024;
/// What the page lets a link's payload decompress to (a zip bomb stops there).
inline constexpr std::size_t kMaxSharePayloadBytes = 64 * 1024 * 1024;

std::string base64url_encode(std::string_view bytes);
/// Strict: only A–Z a–z 0–9 - _, no padding, and a length that a whole number of bytes gives.
/// The error names the first bad character's position.
Expected<std::string> base64url_decode(std::string_view text);

/// "cvc1.…" (without the '#') for the compressed project bytes.
std::string share_fragment(std::string_view compressed);
/// The compressed project bytes from a link: a whole URL, "#cvc1.…" or "cvc1.…" (surrounding
/// white space, as copying adds, is ignored). Errors say in words what is wrong with the link.
Expected<std::string> share_payload(std::string_view link);

}  // namespace cvc
