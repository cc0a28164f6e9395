#pragma once
namespace casblob {
inline constexpr const char* kVersion = "0.1.0";
}
