// The system zlib (Debian/Ubuntu: zlib1g-dev; macOS: part of the SDK).
#include <zlib.h>
