// The bulk import's hot loop in C++: reads JSON lines of Segment usage calls (track, page, screen)
// straight into version 3 event blocks. It is a port of the TypeScript fast path
// (packages/services/src/bulk-import/call-scanner.ts, event-lines.ts and
// packages/storage/src/repositories/usage-event-block-builder.ts) and keeps its rule: a line it is
// not sure of (anything but the common shapes) is handed back to JavaScript, which reads it with
// JSON.parse. The property tests run both paths against JSON.parse.
#include <node_api.h>

#include "napi_check.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

constexpr int kColumns = 7;
constexpr int kHashWords = 3;
constexpr size_t kMaxEventBytes = 32 * 1024;
constexpr int kMaxDepth = 64;
constexpr uint8_t kBlockV3 = 0x03;

// ---------------------------------------------------------------------------------------------
// Scanner (call-scanner.ts)

enum Kind : uint8_t { kAbsent = 0, kString, kNumber, kObject, kArray, kTrue, kFalse, kNull };
constexpr uint8_t kEscaped = 1;
constexpr uint8_t kNonAscii = 2;

enum Field {
  fType = 0,
  fUserId,
  fAnonymousId,
  fMessageId,
  fEvent,
  fName,
  fGroupId,
  fProperties,
  fTraits,
  fContext,
  fTimestamp,
  fOriginalTimestamp,
  fSentAt,
  kFields
};
const char* const kFieldNames[kFields] = {"type",   "userId",  "anonymousId", "messageId", "event",
                                          "name",   "groupId", "properties",  "traits",    "context",
                                          "timestamp", "originalTimestamp", "sentAt"};

// 1 for bytes a string holds as they are: ASCII from 0x20, but for the quote and the backslash.
struct PlainTable {
  uint8_t v[256];
  constexpr PlainTable() : v() {
    for (int c = 0x20; c < 0x80; c++) v[c] = (c == '"' || c == '\\') ? 0 : 1;
  }
  constexpr uint8_t operator[](uint8_t c) const { return v[c]; }
};
constexpr PlainTable kPlain;


inline bool IsWhite(uint8_t c) { return c == 0x20 || c == 0x09 || c == 0x0d; }
inline bool IsDigit(uint8_t c) { return c >= '0' && c <= '9'; }
inline bool IsHex(uint8_t c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

struct Scanner {
  uint8_t kind[kFields];
  int64_t start[kFields];
  int64_t end[kFields];
  uint8_t flags[kFields];
  uint32_t present = 0;
  bool propertiesEmpty = false;
  bool propertiesHasName = false;
  bool propertiesKeyEscaped = false;

  const uint8_t* b = nullptr;
  int64_t lim = 0;
  uint8_t stringFlags = 0;
  uint8_t valueKind = 0;

  int64_t White(int64_t p) const {
    while (p < lim && IsWhite(b[p])) p++;
    return p;
  }

  // Position after the JSON object at b[s] ('{'), or -1 when JavaScript must decide.
  int64_t Scan(const uint8_t* bytes, int64_t s, int64_t limit) {
    b = bytes;
    lim = limit;
    for (int f = 0; f < kFields; f++) kind[f] = kAbsent;
    present = 0;
    propertiesEmpty = propertiesHasName = propertiesKeyEscaped = false;
    int64_t pos = White(s + 1);
    if (pos >= lim) return -1;
    if (b[pos] == '}') return pos + 1;
    for (;;) {
      if (b[pos] != '"') return -1;
      int64_t keyEnd = String(pos);
      if (keyEnd < 0 || (stringFlags & kEscaped)) return -1;
      int field = FieldOf(pos + 1, keyEnd - 1);
      pos = White(keyEnd);
      if (pos >= lim || b[pos] != ':') return -1;
      pos = White(pos + 1);
      if (pos >= lim) return -1;
      int64_t valueStart = pos;
      if (field >= 0) {
        if (present & (1u << field)) return -1;
        present |= 1u << field;
      }
      pos = Value(pos, 1, field == fProperties);
      if (pos < 0) return -1;
      if (field >= 0) {
        kind[field] = valueKind;
        start[field] = valueStart;
        end[field] = pos;
        flags[field] = valueKind == kString ? stringFlags : 0;
      }
      pos = White(pos);
      if (pos >= lim) return -1;
      uint8_t c = b[pos];
      if (c == '}') return pos + 1;
      if (c != ',') return -1;
      pos = White(pos + 1);
      if (pos >= lim) return -1;
    }
  }

  int FieldOf(int64_t s, int64_t e) const {
    int64_t n = e - s;
    int f;
    uint8_t c = b[s];
    switch (n) {
      case 4: f = c == 't' ? fType : c == 'n' ? fName : -1; break;
      case 5: f = fEvent; break;
      case 6: f = c == 'u' ? fUserId : c == 't' ? fTraits : c == 's' ? fSentAt : -1; break;
      case 7: f = c == 'g' ? fGroupId : c == 'c' ? fContext : -1; break;
      case 9: f = c == 'm' ? fMessageId : c == 't' ? fTimestamp : -1; break;
      case 10: f = fProperties; break;
      case 11: f = fAnonymousId; break;
      case 17: f = fOriginalTimestamp; break;
      default: return -1;
    }
    if (f < 0 || memcmp(b + s, kFieldNames[f], n) != 0) return -1;
    return f;
  }

  int64_t Value(int64_t pos, int depth, bool watchName) {
    uint8_t c = b[pos];
    if (c == '"') {
      valueKind = kString;
      return String(pos);
    }
    if (c == '{') {
      valueKind = kObject;
      return depth > kMaxDepth ? -1 : Object(pos, depth, watchName);
    }
    if (c == '[') {
      valueKind = kArray;
      return depth > kMaxDepth ? -1 : Array(pos, depth);
    }
    if (c == '-' || IsDigit(c)) {
      valueKind = kNumber;
      return Number(pos);
    }
    if (c == 't') {
      valueKind = kTrue;
      return Literal(pos, "true", 4);
    }
    if (c == 'f') {
      valueKind = kFalse;
      return Literal(pos, "false", 5);
    }
    if (c == 'n') {
      valueKind = kNull;
      return Literal(pos, "null", 4);
    }
    return -1;
  }

  int64_t Literal(int64_t pos, const char* word, int n) const {
    if (pos + n > lim) return -1;
    return memcmp(b + pos, word, n) == 0 ? pos + n : -1;
  }

  // A string token at pos (its opening quote); the position after its closing quote, or -1.
  int64_t String(int64_t pos) {
    uint8_t f = 0;
    int64_t i = pos + 1;
    while (i < lim) {
      // Most bytes of a string are plain ASCII: one table read skips them.
      while (i + 4 <= lim && kPlain[b[i]] & kPlain[b[i + 1]] & kPlain[b[i + 2]] & kPlain[b[i + 3]]) i += 4;
      while (i < lim && kPlain[b[i]]) i++;
      if (i >= lim) break;
      uint8_t c = b[i];
      if (c == '"') {
        stringFlags = f;
        return i + 1;
      }
      if (c == '\\') {
        f |= kEscaped;
        if (i + 1 >= lim) return -1;
        uint8_t e = b[i + 1];
        if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' ||
            e == 't')
          i += 2;
        else if (e == 'u') {
          if (i + 6 > lim) return -1;
          for (int k = 2; k < 6; k++)
            if (!IsHex(b[i + k])) return -1;
          // The NUL escape (U+0000): parseTrackingMessage refuses it, naming the field (as call-scanner.ts).
          if (b[i + 2] == '0' && b[i + 3] == '0' && b[i + 4] == '0' && b[i + 5] == '0') return -1;
          i += 6;
        } else
          return -1;
        continue;
      }
      if (c < 0x20) return -1;
      if (c >= 0x80) f |= kNonAscii;
      i++;
    }
    return -1;
  }

  // As the TypeScript scanner: -0, overflows and underflows to -0 are refused.
  int64_t Number(int64_t pos) const {
    int64_t i = pos;
    bool negative = b[i] == '-';
    if (negative) i++;
    if (i >= lim) return -1;
    int64_t intStart = i;
    if (b[i] == '0')
      i++;
    else if (IsDigit(b[i]))
      while (i < lim && IsDigit(b[i])) i++;
    else
      return -1;
    int64_t intDigits = i - intStart;
    bool exponent = false;
    if (i < lim && b[i] == '.') {
      i++;
      if (i >= lim || !IsDigit(b[i])) return -1;
      while (i < lim && IsDigit(b[i])) i++;
    }
    if (i < lim && (b[i] == 'e' || b[i] == 'E')) {
      exponent = true;
      i++;
      if (i < lim && (b[i] == '+' || b[i] == '-')) i++;
      if (i >= lim || !IsDigit(b[i])) return -1;
      while (i < lim && IsDigit(b[i])) i++;
    }
    if (exponent || intDigits > 300 || (negative && b[intStart] == '0')) {
      std::string text(reinterpret_cast<const char*>(b + pos), static_cast<size_t>(i - pos));
      double v = strtod(text.c_str(), nullptr);
      if (!std::isfinite(v) || (v == 0 && std::signbit(v))) return -1;
    }
    return i;
  }

  int64_t Object(int64_t pos, int depth, bool watchName) {
    int64_t p = White(pos + 1);
    if (p >= lim) return -1;
    if (b[p] == '}') {
      if (watchName) propertiesEmpty = true;
      valueKind = kObject;
      return p + 1;
    }
    for (;;) {
      if (b[p] != '"') return -1;
      int64_t keyEnd = String(p);
      if (keyEnd < 0) return -1;
      if (watchName) {
        if (stringFlags & kEscaped)
          propertiesKeyEscaped = true;
        else if (keyEnd - p == 6 && memcmp(b + p + 1, "name", 4) == 0)
          propertiesHasName = true;
      }
      p = White(keyEnd);
      if (p >= lim || b[p] != ':') return -1;
      p = White(p + 1);
      if (p >= lim) return -1;
      p = Value(p, depth + 1, false);
      if (p < 0) return -1;
      p = White(p);
      if (p >= lim) return -1;
      uint8_t c = b[p];
      if (c == '}') {
        valueKind = kObject;
        return p + 1;
      }
      if (c != ',') return -1;
      p = White(p + 1);
      if (p >= lim) return -1;
    }
  }

  int64_t Array(int64_t pos, int depth) {
    int64_t p = White(pos + 1);
    if (p >= lim) return -1;
    if (b[p] == ']') {
      valueKind = kArray;
      return p + 1;
    }
    for (;;) {
      p = Value(p, depth + 1, false);
      if (p < 0) return -1;
      p = White(p);
      if (p >= lim) return -1;
      uint8_t c = b[p];
      if (c == ']') {
        valueKind = kArray;
        return p + 1;
      }
      if (c != ',') return -1;
      p = White(p + 1);
      if (p >= lim) return -1;
    }
  }
};

// ---------------------------------------------------------------------------------------------
// Encoding helpers (usage-event-block.ts, usage-id-index.ts)

struct Sink {
  std::vector<uint8_t> buf;
  void Byte(uint8_t c) { buf.push_back(c); }
  void Bytes(const uint8_t* p, size_t n) { buf.insert(buf.end(), p, p + n); }
  void Varint(uint64_t v) {
    while (v >= 0x80) {
      buf.push_back(static_cast<uint8_t>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    buf.push_back(static_cast<uint8_t>(v));
  }
};

inline uint32_t Fmix(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

// hashMessageId over UTF-16 code units.
template <typename Unit>
void HashUnits(const Unit* units, size_t n, uint32_t* out) {
  uint32_t a = 0x811c9dc5u;
  uint32_t b = 0x9747b28cu ^ static_cast<uint32_t>(n);
  uint32_t c = 0x1b873593u;
  for (size_t i = 0; i < n; i++) {
    uint32_t ch = units[i];
    a = (a ^ ch) * 0x01000193u;
    b = (b ^ ch) * 0x5bd1e995u;
    b ^= b >> 13;
    c = (c + ch) * 0xcc9e2d51u;
    c = (c << 15) | (c >> 17);
  }
  uint32_t h0 = Fmix(a);
  out[0] = h0 == 0 ? 1 : h0;
  out[1] = Fmix(b ^ a);
  out[2] = Fmix(c ^ (a * 0x85ebca6bu));
}

// UTF-16 code units of valid UTF-8 bytes.
void Utf16Of(const uint8_t* p, size_t n, std::vector<uint16_t>& out) {
  out.clear();
  for (size_t i = 0; i < n;) {
    uint8_t c = p[i];
    uint32_t cp;
    if (c < 0x80) {
      cp = c;
      i += 1;
    } else if (c < 0xe0) {
      cp = ((c & 0x1f) << 6) | (p[i + 1] & 0x3f);
      i += 2;
    } else if (c < 0xf0) {
      cp = ((c & 0x0f) << 12) | ((p[i + 1] & 0x3f) << 6) | (p[i + 2] & 0x3f);
      i += 3;
    } else {
      cp = ((c & 0x07) << 18) | ((p[i + 1] & 0x3f) << 12) | ((p[i + 2] & 0x3f) << 6) |
           (p[i + 3] & 0x3f);
      i += 4;
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<uint16_t>(0xd800 + (cp >> 10)));
      out.push_back(static_cast<uint16_t>(0xdc00 + (cp & 0x3ff)));
    } else
      out.push_back(static_cast<uint16_t>(cp));
  }
}

// Length in UTF-16 code units of valid UTF-8 bytes.
size_t Utf16Length(const uint8_t* p, size_t n) {
  size_t units = 0;
  for (size_t i = 0; i < n; i++) {
    uint8_t c = p[i];
    if ((c & 0xc0) != 0x80) units += c >= 0xf0 ? 2 : 1;
  }
  return units;
}

// Lowercase hex digits' values, 0xff for other bytes (a table: random digits defeat branch prediction).
struct HexTable {
  uint8_t v[256];
  constexpr HexTable() : v() {
    for (int c = 0; c < 256; c++) v[c] = 0xff;
    for (int c = '0'; c <= '9'; c++) v[c] = static_cast<uint8_t>(c - '0');
    for (int c = 'a'; c <= 'f'; c++) v[c] = static_cast<uint8_t>(c - 'a' + 10);
  }
};
constexpr HexTable kHex;
inline int HexValue(uint8_t c) { return kHex.v[c]; }
const int kUuidPairs[16] = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};

bool IsPackableUuid(const uint8_t* p) {
  if (p[8] != '-' || p[13] != '-' || p[18] != '-' || p[23] != '-') return false;
  uint8_t bad = 0;
  for (int k : kUuidPairs) bad |= kHex.v[p[k]] | kHex.v[p[k + 1]];
  return bad != 0xff && (bad & 0xf0) == 0;
}

inline int Digits(const uint8_t* p, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) v = v * 10 + (p[i] - '0');
  return v;
}

inline int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

int64_t DaysFromCivil(int64_t year, int64_t month, int64_t day) {
  int64_t y = month <= 2 ? year - 1 : year;
  int64_t era = FloorDiv(y, 400);
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int64_t MsOfCanonical(const uint8_t* p) {
  int64_t days = DaysFromCivil(Digits(p, 4), Digits(p + 5, 2), Digits(p + 8, 2));
  int64_t seconds = Digits(p + 11, 2) * 3600 + Digits(p + 14, 2) * 60 + Digits(p + 17, 2);
  return (days * 86400 + seconds) * 1000 + Digits(p + 20, 3);
}

// `YYYY-MM-DDTHH:MM:SS.mmmZ` at p[0..24) naming a real date in 1970..2100 (event-lines.ts canonical(),
// import/calendar.ts).
bool Canonical(const uint8_t* p) {
  static const int kDigitsAt[] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22};
  for (int i : kDigitsAt)
    if (!IsDigit(p[i])) return false;
  if (p[4] != '-' || p[7] != '-' || p[10] != 'T' || p[13] != ':' || p[16] != ':' || p[19] != '.' ||
      p[23] != 'Z')
    return false;
  int month = Digits(p + 5, 2);
  int day = Digits(p + 8, 2);
  if (month < 1 || month > 12 || day < 1) return false;
  if (Digits(p + 11, 2) > 23 || p[14] - '0' > 5 || p[17] - '0' > 5) return false;
  int year = Digits(p, 4);
  if (year < 1970 || year > 2100) return false;
  if (day <= 28) return true;
  bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  int days = month == 2 ? (leap ? 29 : 28)
             : (month == 4 || month == 6 || month == 9 || month == 11) ? 30
                                                                        : 31;
  return day <= days;
}

// A fast hash of short byte strings (8 bytes a step), for the name table.
inline uint64_t ShortHash(const uint8_t* p, size_t n) {
  uint64_t h = 0x9e3779b97f4a7c15ull ^ (n * 0xff51afd7ed558ccdull);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, p + i, 8);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
  }
  uint64_t w = 0;
  for (size_t k = 0; i + k < n; k++) w |= static_cast<uint64_t>(p[i + k]) << (8 * k);
  h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
  // murmur3's finaliser: every input bit reaches the low bits the table indexes by.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

// ---------------------------------------------------------------------------------------------
// The parser: interned names and the block being built.

enum Status { kEnd = 0, kNeedsJs = 1, kFull = 2 };
enum IdHow { kNone = 0, kStringId, kNumberId, kBad };

class LineParser {
 public:
  // `hashIds` false: blocks come without their messageId hashes (hashMessageIds gives them from the
  // payload, on another thread).
  LineParser(std::string receivedAt, int blockSize, bool hashIds)
      : receivedAt_(std::move(receivedAt)), blockSize_(blockSize), hashIds_(hashIds) {
    table_.assign(1 << 12, 0);
    track_ = Intern(reinterpret_cast<const uint8_t*>("track"), 5);
    page_ = Intern(reinterpret_cast<const uint8_t*>("page"), 4);
    screen_ = Intern(reinterpret_cast<const uint8_t*>("screen"), 6);
    receivedAtId_ = Intern(reinterpret_cast<const uint8_t*>(receivedAt_.data()), receivedAt_.size());
    const uint8_t* ra = reinterpret_cast<const uint8_t*>(receivedAt_.data());
    receivedAtDay_ = Intern(ra, receivedAt_.size() < 10 ? receivedAt_.size() : 10);
    receivedAtPacked_ = receivedAt_.size() == 24 && Canonical(ra);
    receivedAtMs_ = receivedAtPacked_ ? MsOfCanonical(ra) : 0;
  }

  int count() const { return n_; }
  size_t names() const { return offset_.size(); }
  // The bytes of name `i` (UTF-8).
  const uint8_t* nameBytes(size_t i) const { return arena_.data() + offset_[i]; }
  size_t nameLength(size_t i) const { return length_[i]; }

  // Reads lines from b[pos..len) until the piece ends, a line needs JavaScript or the block is full.
  Status Run(const uint8_t* b, int64_t len, int64_t& pos, int& lines, int& calls) {
    lines = 0;
    calls = 0;
    for (;;) {
      int64_t s = pos;
      while (s < len && IsWhite(b[s])) s++;
      if (s < len && b[s] == '{') {
        int64_t e = scanner_.Scan(b, s, len);
        if (e > 0) {
          int64_t q = e;
          while (q < len && IsWhite(b[q])) q++;
          if ((q == len || b[q] == '\n') && static_cast<size_t>(e - s) <= kMaxEventBytes &&
              Fast(b, s, e)) {
            lines++;
            calls++;
            if (q == len) {
              pos = len;
              return kEnd;
            }
            pos = q + 1;
            if (n_ >= blockSize_) return kFull;
            continue;
          }
        }
        return kNeedsJs;
      }
      // A blank line (spaces, tabs, carriage returns) is read here; anything else goes to JavaScript.
      int64_t i = s;
      if (i < len && b[i] != '\n') return kNeedsJs;
      lines++;
      if (i == len) {
        pos = len;
        return kEnd;
      }
      pos = i + 1;
    }
  }

  // A call given as values (lines JavaScript read): strings as UTF-8, null as nullptr.
  void AddEvent(const std::string* type, const std::string* event, const std::string* userKey,
                const std::string* userId, const std::string* anonymousId, const std::string& day,
                const std::string& receivedAt, const std::string& messageId,
                const std::vector<uint16_t>& messageIdUnits, const std::string& timestamp,
                const std::string& properties) {
    auto ref = [this](const std::string* s) {
      return s == nullptr ? -1 : Intern(reinterpret_cast<const uint8_t*>(s->data()), s->size());
    };
    Begin(ref(type), ref(event), ref(userKey), ref(userId), ref(anonymousId), ref(&day), ref(&receivedAt));
    const uint8_t* m = reinterpret_cast<const uint8_t*>(messageId.data());
    MessageIdBytes(m, messageId.size());
    if (hashIds_) HashUnits(messageIdUnits.data(), messageIdUnits.size(), &hashes_[(n_ - 1) * kHashWords]);
    const uint8_t* t = reinterpret_cast<const uint8_t*>(timestamp.data());
    if (timestamp.size() == 24 && Canonical(t))
      PackedTimestamp(MsOfCanonical(t));
    else
      TextTimestamp(t, timestamp.size());
    p_.Varint(properties.size());
    p_.Bytes(reinterpret_cast<const uint8_t*>(properties.data()), properties.size());
  }

  // The block so far (payload, hashes, columns); starts the next.
  void Finish(std::vector<uint8_t>& payload, std::vector<uint32_t>& hashes, std::vector<int32_t>& columns) {
    Sink head;
    head.Byte(kBlockV3);
    head.Varint(n_);
    head.Varint(locals_);
    payload.clear();
    payload.reserve(head.buf.size() + dict_.buf.size() + c_.buf.size() + m_.buf.size() + ts_.buf.size() +
                    p_.buf.size());
    for (Sink* part : {&head, &dict_, &c_, &m_, &ts_, &p_})
      payload.insert(payload.end(), part->buf.begin(), part->buf.end());
    if (hashIds_)
      hashes.assign(hashes_.begin(), hashes_.begin() + n_ * kHashWords);
    else
      hashes.clear();
    columns.assign(columns_.begin(), columns_.begin() + n_ * kColumns);
    for (Sink* part : {&dict_, &c_, &m_, &ts_, &p_}) part->buf.clear();
    n_ = 0;
    locals_ = 0;
    lastMs_ = 0;
    blockNo_++;
  }

 private:
  // The fast path of event-lines.ts `fast`: true (and the call added) or false (nothing added).
  bool Fast(const uint8_t* b, int64_t s, int64_t e) {
    const Scanner& sc = scanner_;
    if (sc.kind[fType] != kString) return false;
    int64_t t0 = sc.start[fType] + 1;
    int64_t tLen = sc.end[fType] - sc.start[fType] - 2;
    int type;
    if (tLen == 5 && memcmp(b + t0, "track", 5) == 0)
      type = 0;
    else if (tLen == 4 && memcmp(b + t0, "page", 4) == 0)
      type = 1;
    else if (tLen == 6 && memcmp(b + t0, "screen", 6) == 0)
      type = 2;
    else
      return false;

    IdHow uid = Id(b, fUserId, 512);
    IdHow anon = Id(b, fAnonymousId, 512);
    // Numeric ids are rare: JavaScript turns them into strings.
    if (uid == kBad || uid == kNumberId || anon == kBad || anon == kNumberId) return false;
    if (uid == kNone && anon == kNone) return false;
    if (Id(b, fGroupId, 512) == kBad) return false;

    // messageId: a string of 1 to 512 characters (absent, null or "" → derived: JavaScript).
    if (sc.kind[fMessageId] != kString || (sc.flags[fMessageId] & kEscaped)) return false;
    size_t midLen = TextLength(b, fMessageId);
    if (midLen == 0 || midLen > 512) return false;

    if (type == 0) {
      if (sc.kind[fEvent] != kString || (sc.flags[fEvent] & kEscaped)) return false;
      size_t len = TextLength(b, fEvent);
      if (len == 0 || len > 200) return false;
    } else {
      uint8_t nk = sc.kind[fName];
      if (nk != kAbsent && nk != kNull && nk != kString) return false;
    }
    for (int f : {fProperties, fTraits, fContext}) {
      uint8_t k = sc.kind[f];
      if (k != kAbsent && k != kNull && k != kObject) return false;
    }
    bool named = type != 0 && sc.kind[fName] == kString;
    if (named && sc.kind[fProperties] == kObject && sc.propertiesKeyEscaped) return false;

    // timestamp, else originalTimestamp; sentAt checked. Only canonical forms here.
    int tsField = fTimestamp;
    int ts = Timestamp(b, fTimestamp);
    if (ts < 0) return false;
    if (ts == 0) {
      tsField = fOriginalTimestamp;
      ts = Timestamp(b, fOriginalTimestamp);
      if (ts < 0) return false;
    }
    if (Timestamp(b, fSentAt) < 0) return false;

    // Every check passed: add the call.
    int day;
    if (ts == 1) {
      const uint8_t* d = b + sc.start[tsField] + 1;
      if (lastDay_ < 0 || memcmp(d, lastDayBytes_, 10) != 0) {
        lastDay_ = Intern(d, 10);
        memcpy(lastDayBytes_, d, 10);
      }
      day = lastDay_;
    } else
      day = receivedAtDay_;
    int userId = -1;
    int anonymousId = -1;
    int userKey;
    if (uid != kNone) userId = Intern(b + sc.start[fUserId] + 1, sc.end[fUserId] - sc.start[fUserId] - 2);
    if (anon != kNone)
      anonymousId = Intern(b + sc.start[fAnonymousId] + 1, sc.end[fAnonymousId] - sc.start[fAnonymousId] - 2);
    if (uid == kNone)
      userKey = InternAnon(b + sc.start[fAnonymousId] + 1, sc.end[fAnonymousId] - sc.start[fAnonymousId] - 2);
    else
      userKey = userId;
    int event;
    if (type == 0)
      event = Intern(b + sc.start[fEvent] + 1, sc.end[fEvent] - sc.start[fEvent] - 2);
    else
      event = type == 1 ? page_ : screen_;
    Begin(type == 0 ? track_ : event, event, userKey, userId, anonymousId, day, receivedAtId_);

    const uint8_t* mid = b + sc.start[fMessageId] + 1;
    size_t midBytes = sc.end[fMessageId] - sc.start[fMessageId] - 2;
    MessageIdBytes(mid, midBytes);
    uint32_t* h = &hashes_[(n_ - 1) * kHashWords];
    if (!hashIds_) {
    } else if (sc.flags[fMessageId] & kNonAscii) {
      Utf16Of(mid, midBytes, units_);
      HashUnits(units_.data(), units_.size(), h);
    } else
      HashUnits(mid, midBytes, h);

    if (ts == 1)
      PackedTimestamp(MsOfCanonical(b + sc.start[tsField] + 1));
    else if (receivedAtPacked_)
      PackedTimestamp(receivedAtMs_);
    else
      TextTimestamp(reinterpret_cast<const uint8_t*>(receivedAt_.data()), receivedAt_.size());

    bool object = sc.kind[fProperties] == kObject;
    int64_t ps = object ? sc.start[fProperties] : 0;
    int64_t pe = object ? sc.end[fProperties] : 0;
    if (named && !(object && sc.propertiesHasName)) {
      // Properties with a "name" member added last (the page or screen name).
      bool bare = !object || sc.propertiesEmpty;
      int64_t ns = sc.start[fName];
      int64_t ne = sc.end[fName];
      p_.Varint((bare ? 1 : pe - ps) + 7 + (ne - ns) + 1);
      if (bare)
        p_.Byte('{');
      else {
        p_.Bytes(b + ps, pe - 1 - ps);
        p_.Byte(',');
      }
      p_.Bytes(reinterpret_cast<const uint8_t*>("\"name\":"), 7);
      p_.Bytes(b + ns, ne - ns);
      p_.Byte('}');
    } else if (!object) {
      p_.Varint(2);
      p_.Bytes(reinterpret_cast<const uint8_t*>("{}"), 2);
    } else {
      p_.Varint(pe - ps);
      p_.Bytes(b + ps, pe - ps);
    }
    return true;
  }

  size_t TextLength(const uint8_t* b, int f) const {
    const uint8_t* p = b + scanner_.start[f] + 1;
    size_t n = scanner_.end[f] - scanner_.start[f] - 2;
    return (scanner_.flags[f] & kNonAscii) ? Utf16Length(p, n) : n;
  }

  IdHow Id(const uint8_t* b, int f, size_t max) const {
    uint8_t k = scanner_.kind[f];
    if (k == kAbsent || k == kNull) return kNone;
    if (k == kNumber) return kNumberId;
    if (k != kString || (scanner_.flags[f] & kEscaped)) return kBad;
    size_t len = TextLength(b, f);
    if (len == 0) return kNone;
    return len > max ? kBad : kStringId;
  }

  // 0: absent or null; 1: canonical (packed); -1: anything else (JavaScript decides).
  int Timestamp(const uint8_t* b, int f) const {
    uint8_t k = scanner_.kind[f];
    if (k == kAbsent || k == kNull) return 0;
    if (k != kString || (scanner_.flags[f] & kEscaped)) return -1;
    if (scanner_.end[f] - scanner_.start[f] - 2 == 24 && Canonical(b + scanner_.start[f] + 1)) return 1;
    return -1;
  }

  int InternAnon(const uint8_t* p, size_t n) {
    // The user key of an anonymous call: "anon:" + its anonymousId, one name with the same text a
    // call given as values gets.
    scratch_.assign("anon:");
    scratch_.append(reinterpret_cast<const char*>(p), n);
    return Intern(reinterpret_cast<const uint8_t*>(scratch_.data()), scratch_.size());
  }

  // Table entries: the hash's high 32 bits, then id + 1 (0 = empty), so a probe reads one word
  // and the name's bytes only on a likely match.
  int Intern(const uint8_t* p, size_t n) {
    uint64_t h = ShortHash(p, n);
    uint64_t tag = h >> 32;
    size_t mask = table_.size() - 1;
    size_t slot = static_cast<size_t>(h) & mask;
    for (uint64_t v = table_[slot]; v != 0; v = table_[slot]) {
      if ((v >> 32) == tag) {
        size_t id = static_cast<uint32_t>(v) - 1;
        if (length_[id] == n && memcmp(arena_.data() + offset_[id], p, n) == 0) return static_cast<int>(id);
      }
      slot = (slot + 1) & mask;
    }
    size_t id = offset_.size();
    offset_.push_back(arena_.size());
    length_.push_back(static_cast<uint32_t>(n));
    arena_.insert(arena_.end(), p, p + n);
    local_.push_back(0);
    stamp_.push_back(0);
    table_[slot] = (tag << 32) | (id + 1);
    if (offset_.size() * 2 > table_.size()) Rehash();
    return static_cast<int>(id);
  }

  void Rehash() {
    std::vector<uint64_t> table(table_.size() * 2, 0);
    size_t mask = table.size() - 1;
    for (size_t id = 0; id < offset_.size(); id++) {
      uint64_t h = ShortHash(arena_.data() + offset_[id], length_[id]);
      size_t slot = static_cast<size_t>(h) & mask;
      while (table[slot] != 0) slot = (slot + 1) & mask;
      table[slot] = ((h >> 32) << 32) | (id + 1);
    }
    table_.swap(table);
  }

  // The current block's dictionary index of a name, adding it to the block's dictionary.
  int InBlock(int id) {
    if (id < 0) return -1;
    if (stamp_[id] == blockNo_) return local_[id];
    stamp_[id] = blockNo_;
    int index = locals_++;
    local_[id] = index;
    size_t n = length_[id];
    dict_.Varint(n);
    dict_.Bytes(arena_.data() + offset_[id], n);
    return index;
  }

  void Begin(int type, int event, int userKey, int userId, int anonymousId, int day, int receivedAt) {
    int i = n_++;
    if (columns_.size() < static_cast<size_t>(n_) * kColumns) {
      columns_.resize(static_cast<size_t>(n_) * kColumns * 2);
      hashes_.resize(static_cast<size_t>(n_) * kHashWords * 2);
    }
    int32_t* cols = &columns_[static_cast<size_t>(i) * kColumns];
    cols[0] = type;
    cols[1] = event;
    cols[2] = userKey;
    cols[3] = userId;
    cols[4] = anonymousId;
    cols[5] = day;
    cols[6] = receivedAt;
    for (int k = 0; k < kColumns; k++) c_.Varint(static_cast<uint64_t>(InBlock(cols[k]) + 1));
  }

  void MessageIdBytes(const uint8_t* p, size_t n) {
    if (n == 36 && IsPackableUuid(p)) {
      m_.Byte(1);
      for (int i = 0; i < 16; i++) {
        int k = kUuidPairs[i];
        m_.Byte(static_cast<uint8_t>((HexValue(p[k]) << 4) | HexValue(p[k + 1])));
      }
    } else {
      m_.Varint(static_cast<uint64_t>(n) * 2);
      m_.Bytes(p, n);
    }
  }

  void PackedTimestamp(int64_t ms) {
    int64_t delta = ms - lastMs_;
    lastMs_ = ms;
    uint64_t zig = delta >= 0 ? static_cast<uint64_t>(delta) * 2 : static_cast<uint64_t>(-delta) * 2 - 1;
    ts_.Varint(zig * 2);
  }

  void TextTimestamp(const uint8_t* p, size_t n) {
    ts_.Varint(static_cast<uint64_t>(n) * 2 + 1);
    ts_.Bytes(p, n);
  }

  Scanner scanner_;
  std::string receivedAt_;
  int blockSize_;
  bool hashIds_;
  int track_, page_, screen_, receivedAtId_, receivedAtDay_;
  bool receivedAtPacked_;
  int64_t receivedAtMs_;

  // Names by id: their bytes in one arena.
  std::vector<uint8_t> arena_;
  std::vector<size_t> offset_;
  std::vector<uint32_t> length_;
  std::vector<uint64_t> table_;
  // The last day's name: most calls fall on the previous call's day.
  int lastDay_ = -1;
  uint8_t lastDayBytes_[10] = {};
  std::vector<int> local_;
  std::vector<int> stamp_;
  int blockNo_ = 1;
  int locals_ = 0;

  Sink dict_, c_, m_, ts_, p_;
  std::vector<int32_t> columns_ = std::vector<int32_t>(kColumns * 1024);
  std::vector<uint32_t> hashes_ = std::vector<uint32_t>(kHashWords * 1024);
  std::vector<uint16_t> units_;
  std::string scratch_;
  int n_ = 0;
  int64_t lastMs_ = 0;
};

// ---------------------------------------------------------------------------------------------
// The messageId hashes of a version 3 block, read from its payload (usage-event-block.ts layout):
// what LineParser gives with hashIds, computed where there is time for it. False when the bytes are
// not a whole version 3 block.

bool ReadVarint(const uint8_t* b, size_t len, size_t& at, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (at >= len) return false;
    uint8_t c = b[at++];
    v |= static_cast<uint64_t>(c & 0x7f) << shift;
    if ((c & 0x80) == 0) return true;
  }
  return false;
}

bool HashBlockIds(const uint8_t* b, size_t len, std::vector<uint32_t>& out) {
  size_t at = 0;
  uint64_t n = 0, strings = 0, v = 0;
  if (len == 0 || b[at++] != kBlockV3 || !ReadVarint(b, len, at, n) || !ReadVarint(b, len, at, strings)) return false;
  // Each call takes at least its 7 column bytes: a count beyond that is a damaged header, not an allocation.
  if (n > len / kColumns || strings > len) return false;
  for (uint64_t i = 0; i < strings; i++) {
    if (!ReadVarint(b, len, at, v) || v > len - at) return false;
    at += v;
  }
  for (uint64_t i = 0; i < n * kColumns; i++)
    if (!ReadVarint(b, len, at, v)) return false;
  static const char kDigits[] = "0123456789abcdef";
  static const int kDashes[4] = {8, 13, 18, 23};
  uint8_t uuid[36];
  for (int d : kDashes) uuid[d] = '-';
  std::vector<uint16_t> units;
  out.assign(n * kHashWords, 0);
  for (uint64_t i = 0; i < n; i++) {
    uint32_t* h = &out[i * kHashWords];
    if (at < len && b[at] == 1) {
      if (len - at < 17) return false;
      for (int k = 0; k < 16; k++) {
        uint8_t x = b[at + 1 + k];
        uuid[kUuidPairs[k]] = kDigits[x >> 4];
        uuid[kUuidPairs[k] + 1] = kDigits[x & 15];
      }
      HashUnits(uuid, 36, h);
      at += 17;
      continue;
    }
    if (!ReadVarint(b, len, at, v) || (v & 1) || v / 2 > len - at) return false;
    const uint8_t* p = b + at;
    size_t bytes = static_cast<size_t>(v / 2);
    bool ascii = true;
    for (size_t k = 0; k < bytes; k++) ascii &= p[k] < 0x80;
    if (ascii)
      HashUnits(p, bytes, h);
    else {
      Utf16Of(p, bytes, units);
      HashUnits(units.data(), units.size(), h);
    }
    at += bytes;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// N-API glue

bool Utf8Of(napi_env env, napi_value v, std::string& out) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, nullptr, 0, &len) != napi_ok) return false;
  out.resize(len);
  size_t written = 0;
  if (napi_get_value_string_utf8(env, v, out.data(), len + 1, &written) != napi_ok) return false;
  out.resize(written);
  return true;
}


napi_value New(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_value self;
  CHECK(napi_get_cb_info(env, info, &argc, argv, &self, nullptr));
  std::string receivedAt;
  int32_t blockSize = 0;
  bool hashIds = true;
  napi_valuetype third = napi_undefined;
  if (argc >= 3) CHECK(napi_typeof(env, argv[2], &third));
  if (argc < 2 || !Utf8Of(env, argv[0], receivedAt) || napi_get_value_int32(env, argv[1], &blockSize) != napi_ok ||
      blockSize < 1 || (third != napi_undefined && napi_get_value_bool(env, argv[2], &hashIds) != napi_ok)) {
    napi_throw_type_error(env, nullptr, "LineParser(receivedAt: string, blockSize: number >= 1, hashIds?: boolean)");
    return nullptr;
  }
  return Own(env, self, new LineParser(receivedAt, blockSize, hashIds));
}

// hashMessageIds(payload: Uint8Array): Uint32Array — the hashes of a version 3 block's messageIds.
napi_value HashMessageIds(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  uint8_t* data = nullptr;
  size_t length = 0;
  if (argc < 1 || !TypedArg(env, argv[0], napi_uint8_array, &data, &length))
    return TypeError(env, "hashMessageIds(payload: Uint8Array)");
  std::vector<uint32_t> hashes;
  if (!HashBlockIds(data, length, hashes)) {
    napi_throw_error(env, nullptr, "hashMessageIds: not a whole version 3 event block");
    return nullptr;
  }
  return TypedArrayOf(env, napi_uint32_array, hashes);
}

// run(bytes: Uint8Array, pos: number, out: Int32Array(3)): status; out = [pos, lines, calls].
napi_value Run(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  LineParser* parser = Self<LineParser>(env, info, &argc, argv);
  if (parser == nullptr || argc < 3) {
    napi_throw_type_error(env, nullptr, "run(bytes, pos, out)");
    return nullptr;
  }
  uint8_t* data = nullptr;
  int32_t* out = nullptr;
  size_t length = 0, outLength = 0;
  int64_t pos = -1;
  if (!TypedArg(env, argv[0], napi_uint8_array, &data, &length) ||
      napi_get_value_int64(env, argv[1], &pos) != napi_ok || !TypedArg(env, argv[2], napi_int32_array, &out, &outLength) ||
      outLength < 3 || pos < 0 || pos > static_cast<int64_t>(length))
    return TypeError(env, "run(bytes: Uint8Array, pos, out: Int32Array(3))");
  int lines = 0;
  int calls = 0;
  Status status = parser->Run(data, static_cast<int64_t>(length), pos, lines, calls);
  out[0] = static_cast<int32_t>(pos);
  out[1] = lines;
  out[2] = calls;
  napi_value result;
  CHECK(napi_create_int32(env, status, &result));
  return result;
}

// addEvent(type, event, userKey, userId, anonymousId, day, receivedAt, messageId, timestamp, propertiesJson)
napi_value AddEvent(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  LineParser* parser = Self<LineParser>(env, info, &argc, argv);
  if (parser == nullptr || argc < 10) {
    napi_throw_type_error(env, nullptr, "addEvent needs 10 arguments");
    return nullptr;
  }
  std::string s[10];
  bool isNull[10];
  for (int i = 0; i < 10; i++) {
    napi_valuetype t;
    CHECK(napi_typeof(env, argv[i], &t));
    isNull[i] = t == napi_null;
    if (!isNull[i] && (t != napi_string || !Utf8Of(env, argv[i], s[i]))) {
      napi_throw_type_error(env, nullptr, "addEvent: strings or null");
      return nullptr;
    }
  }
  for (int i : {0, 2, 5, 6, 7, 8, 9})
    if (isNull[i]) {
      napi_throw_type_error(env, nullptr, "addEvent: type, userKey, day, receivedAt, messageId, timestamp and properties are required");
      return nullptr;
    }
  std::vector<uint16_t> units;
  size_t len = 0;
  CHECK(napi_get_value_string_utf16(env, argv[7], nullptr, 0, &len));
  units.resize(len + 1);
  CHECK(napi_get_value_string_utf16(env, argv[7], reinterpret_cast<char16_t*>(units.data()), len + 1, &len));
  units.resize(len);
  auto opt = [&](int i) { return isNull[i] ? nullptr : &s[i]; };
  parser->AddEvent(opt(0), opt(1), opt(2), opt(3), opt(4), s[5], s[6], s[7], units, s[8], s[9]);
  return nullptr;
}

napi_value Count(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  LineParser* parser = Self<LineParser>(env, info, &argc, nullptr);
  if (parser == nullptr) return nullptr;
  napi_value result;
  CHECK(napi_create_int32(env, parser->count(), &result));
  return result;
}

// names(from: number): string[] — the names with ids from `from` on.
napi_value Names(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  LineParser* parser = Self<LineParser>(env, info, &argc, argv);
  if (parser == nullptr || argc < 1) return nullptr;
  int64_t from;
  CHECK(napi_get_value_int64(env, argv[0], &from));
  size_t total = parser->names();
  size_t first = from < 0 ? 0 : static_cast<size_t>(from);
  napi_value array;
  CHECK(napi_create_array_with_length(env, total > first ? total - first : 0, &array));
  for (size_t i = first; i < total; i++) {
    napi_value v;
    CHECK(napi_create_string_utf8(env, reinterpret_cast<const char*>(parser->nameBytes(i)), parser->nameLength(i),
                                  &v));
    CHECK(napi_set_element(env, array, static_cast<uint32_t>(i - first), v));
  }
  return array;
}


// finish(): { count, payload: Uint8Array, hashes: Uint32Array, columns: Int32Array }
napi_value Finish(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  LineParser* parser = Self<LineParser>(env, info, &argc, nullptr);
  if (parser == nullptr) return nullptr;
  int count = parser->count();
  std::vector<uint8_t> payload;
  std::vector<uint32_t> hashes;
  std::vector<int32_t> columns;
  parser->Finish(payload, hashes, columns);
  napi_value result, v;
  CHECK(napi_create_object(env, &result));
  CHECK(napi_create_int32(env, count, &v));
  CHECK(napi_set_named_property(env, result, "count", v));
  v = TypedArrayOf(env, napi_uint8_array, payload);
  if (v == nullptr) return nullptr;
  CHECK(napi_set_named_property(env, result, "payload", v));
  v = TypedArrayOf(env, napi_uint32_array, hashes);
  if (v == nullptr) return nullptr;
  CHECK(napi_set_named_property(env, result, "hashes", v));
  v = TypedArrayOf(env, napi_int32_array, columns);
  if (v == nullptr) return nullptr;
  CHECK(napi_set_named_property(env, result, "columns", v));
  return result;
}

}  // namespace

NAPI_MODULE_INIT() {
  napi_property_descriptor methods[] = {
      {"run", nullptr, Run, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"addEvent", nullptr, AddEvent, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"count", nullptr, Count, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"names", nullptr, Names, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"finish", nullptr, Finish, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_value cls;
  if (napi_define_class(env, "LineParser", NAPI_AUTO_LENGTH, New, nullptr, sizeof(methods) / sizeof(methods[0]),
                        methods, &cls) != napi_ok)
    return nullptr;
  if (napi_set_named_property(env, exports, "LineParser", cls) != napi_ok) return nullptr;
  napi_value hash;
  if (napi_create_function(env, "hashMessageIds", NAPI_AUTO_LENGTH, HashMessageIds, nullptr, &hash) != napi_ok ||
      napi_set_named_property(env, exports, "hashMessageIds", hash) != napi_ok)
    return nullptr;
  if (!RegisterTables(env, exports)) return nullptr;
  return exports;
}
