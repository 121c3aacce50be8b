// The bulk import's two big hash tables: the file's messageIds (is this call the first with its id?)
// and the rollup counts per (user, day, event). Each call touches one random slot of a table of tens
// of megabytes, so in JavaScript each probe waited on a cache miss (together about 3 s per 5M calls).
// Here a block's slots are prefetched 64 calls ahead of their probes, so the misses overlap.
// Same results as the TypeScript versions (HashSet96, RollupCounter), which stay as the fallback.
#include <node_api.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>
#ifdef __linux__
#include <sys/mman.h>
#endif

#include "napi_check.h"

namespace {

// A fixed-size array of slots for a hash table. Large ones are 2 MB aligned and asked to be backed by
// huge pages: random probes then miss the TLB far less often, and the kernel zero-fills far fewer pages.
template <typename T>
class Slots {
 public:
  Slots() = default;
  Slots(const Slots&) = delete;
  Slots& operator=(const Slots&) = delete;
  ~Slots() { std::free(data_); }

  void Reset(size_t n, const T& fill) {
    std::free(data_);
    data_ = nullptr;
    const size_t bytes = n * sizeof(T);
    if (bytes >= kHuge) {
      void* p = nullptr;
      if (posix_memalign(&p, kHuge, (bytes + kHuge - 1) & ~(kHuge - 1)) == 0) {
        data_ = static_cast<T*>(p);
#ifdef __linux__
        madvise(p, (bytes + kHuge - 1) & ~(kHuge - 1), MADV_HUGEPAGE);
#endif
      }
    }
    if (data_ == nullptr) data_ = static_cast<T*>(std::malloc(bytes > 0 ? bytes : sizeof(T)));
    if (data_ == nullptr) std::abort();  // out of memory, as std::vector would end
    std::fill_n(data_, n, fill);
    size_ = n;
  }

  void Swap(Slots& other) {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
  }

  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  size_t size() const { return size_; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

 private:
  static constexpr size_t kHuge = 2u << 20;
  T* data_ = nullptr;
  size_t size_ = 0;
};

// Calls between a slot's prefetch and its probe: each call does little work, so it takes many to
// cover a miss (5M calls, 20k users: 16 ahead 0.4-0.8 s, 64 ahead 0.25-0.27 s).
constexpr size_t kAhead = 64;

// ---------------------------------------------------------------------------------------------
// IdSet: 96-bit messageId hashes (hashMessageId: three words, the first never 0), linear probing
// from the first word, grows past 3/4 full: the layout and rules of HashSet96 in usage-id-index.ts.

class IdSet {
 public:
  explicit IdSet(size_t capacity) {
    size_t n = 16;
    while (n < capacity) n <<= 1;
    slots_.Reset(n * 3, 0);
    mask_ = n - 1;
  }

  // out[i] = 1 when hash i was not in the set (it is now), 0 when it was; returns how many were new.
  size_t AddAll(const uint32_t* h, size_t n, uint8_t* out) {
    while ((count_ + n) * 4 > (mask_ + 1) * 3) Grow();
    size_t added = 0;
    for (size_t i = 0; i < n; i++) {
      if (i + kAhead < n) __builtin_prefetch(&slots_[(h[(i + kAhead) * 3] & mask_) * 3], 1);
      uint8_t fresh = Insert(h + i * 3) ? 1 : 0;
      out[i] = fresh;
      added += fresh;
    }
    return added;
  }

 private:
  bool Insert(const uint32_t* k) {
    const uint32_t a = k[0], b = k[1], c = k[2];
    for (size_t i = a & mask_;; i = (i + 1) & mask_) {
      uint32_t* s = &slots_[i * 3];
      if (s[0] == 0) {
        s[0] = a;
        s[1] = b;
        s[2] = c;
        count_++;
        return true;
      }
      if (s[0] == a && s[1] == b && s[2] == c) return false;
    }
  }

  void Grow() {
    Slots<uint32_t> old;
    old.Swap(slots_);
    slots_.Reset(old.size() * 2, 0);
    mask_ = mask_ * 2 + 1;
    count_ = 0;
    for (size_t p = 0; p < old.size(); p += 3)
      if (old[p] != 0) Insert(&old[p]);
  }

  Slots<uint32_t> slots_;
  size_t mask_ = 0;
  size_t count_ = 0;
};

// ---------------------------------------------------------------------------------------------
// CellCounter: the import counter's rollup counts (import-parser.ts, ImportCounter) keyed by the
// parser's name ids of (user key, day, event), and the users first seen in stored calls.

// Columns of a block (BLOCK_COLUMN in usage-event-block-builder.ts).
constexpr int kColumns = 7;
constexpr int kType = 0, kEvent = 1, kUserKey = 2, kUserId = 3, kAnonymousId = 4, kDay = 5;
constexpr uint32_t kFree = 0xffffffffu;

struct Cell {
  uint32_t user, day, event, count;
};

// Name id -> position + 1 in a list of distinct ids (0: not listed), and the list.
struct Distinct {
  std::vector<int32_t> pos;
  std::vector<int32_t> ids;

  void Add(int32_t id) {
    if (static_cast<size_t>(id) >= pos.size()) pos.resize(static_cast<size_t>(id) * 2 + 64, 0);
    if (pos[id] == 0) {
      ids.push_back(id);
      pos[id] = static_cast<int32_t>(ids.size());
    }
  }
  int32_t Of(uint32_t id) const { return pos[id] - 1; }
  void Clear() {
    for (int32_t id : ids) pos[id] = 0;
    ids.clear();
  }
};

class CellCounter {
 public:
  CellCounter() { Reset(1 << 12); }

  // Counts the usage calls of a block flagged in `fresh` (all when null) and lists the user keys
  // first seen in its stored calls, as (userKey, userId, anonymousId) triples, into `users`.
  void Count(const int32_t* cols, size_t calls, const uint8_t* fresh, const int32_t* usage, size_t nUsage,
             std::vector<int32_t>& users) {
    pending_.clear();
    for (size_t i = 0; i < calls; i++) {
      if (fresh != nullptr && fresh[i] != 1) continue;
      const int32_t* c = cols + i * kColumns;
      const int32_t user = c[kUserKey];
      if (user < 0) continue;
      if (static_cast<size_t>(user) >= seen_.size()) seen_.resize(static_cast<size_t>(user) * 2 + 64, 0);
      if (seen_[user] == 0) {
        seen_[user] = 1;
        users.push_back(user);
        users.push_back(c[kUserId]);
        users.push_back(c[kAnonymousId]);
      }
      if (c[kEvent] < 0 || c[kDay] < 0) continue;
      bool isUsage = false;
      for (size_t k = 0; k < nUsage; k++) isUsage |= c[kType] == usage[k];
      if (!isUsage) continue;
      pending_.push_back({static_cast<uint32_t>(user), static_cast<uint32_t>(c[kDay]),
                          static_cast<uint32_t>(c[kEvent]), 0});
    }
    const size_t n = pending_.size();
    while ((size_ + n) * 2 > mask_ + 1) Grow();
    for (Cell& p : pending_) p.count = Hash(p.user, p.day, p.event);
    for (size_t i = 0; i < n; i++) {
      if (i + kAhead < n) __builtin_prefetch(&slots_[pending_[i + kAhead].count & mask_], 1);
      const Cell& p = pending_[i];
      Add(p.user, p.day, p.event, p.count, 1);
    }
  }

  // The distinct user, day and event name ids counted since the last Take, in first-seen order.
  void Lists(std::vector<int32_t>& users, std::vector<int32_t>& days, std::vector<int32_t>& events) {
    users_.Clear();
    days_.Clear();
    events_.Clear();
    for (const Cell& s : slots_) {
      if (s.user == kFree) continue;
      users_.Add(static_cast<int32_t>(s.user));
      days_.Add(static_cast<int32_t>(s.day));
      events_.Add(static_cast<int32_t>(s.event));
    }
    users = users_.ids;
    days = days_.ids;
    events = events_.ids;
  }

  // The cells in rank space (ranks[k] = the sorted place of the k-th id of Lists), sorted by (user,
  // day), events in any order within a day, as RollupCounter.cells gives them, written to `out`
  // (Size() each); then counts afresh. Two stable counting sorts (by day, then by user): no
  // comparison sort over millions of cells.
  bool Take(const int32_t* userRank, size_t nu, const int32_t* dayRank, size_t nd, const int32_t* eventRank,
            size_t ne, int32_t* user, int32_t* day, int32_t* event, double* count) {
    if (nu != users_.ids.size() || nd != days_.ids.size() || ne != events_.ids.size()) return false;
    for (size_t k = 0; k < nu; k++)
      if (userRank[k] < 0 || static_cast<size_t>(userRank[k]) >= nu) return false;
    for (size_t k = 0; k < nd; k++)
      if (dayRank[k] < 0 || static_cast<size_t>(dayRank[k]) >= nd) return false;
    // By day, from the table into `sorted` (user rank, day rank, event rank, count per cell).
    std::vector<size_t> start(nd + 1, 0);
    for (const Cell& s : slots_)
      if (s.user != kFree) start[dayRank[days_.Of(s.day)] + 1]++;
    for (size_t b = 0; b < nd; b++) start[b + 1] += start[b];
    std::vector<Cell> sorted(size_);
    for (const Cell& s : slots_) {
      if (s.user == kFree) continue;
      const uint32_t d = static_cast<uint32_t>(dayRank[days_.Of(s.day)]);
      sorted[start[d]++] = {static_cast<uint32_t>(userRank[users_.Of(s.user)]), d,
                            static_cast<uint32_t>(eventRank[events_.Of(s.event)]), s.count};
    }
    // Then by user, stable: days stay in order within each user.
    start.assign(nu + 1, 0);
    for (const Cell& c : sorted) start[c.user + 1]++;
    for (size_t b = 0; b < nu; b++) start[b + 1] += start[b];
    for (const Cell& c : sorted) {
      const size_t o = start[c.user]++;
      user[o] = static_cast<int32_t>(c.user);
      day[o] = static_cast<int32_t>(c.day);
      event[o] = static_cast<int32_t>(c.event);
      count[o] = c.count;
    }
    Reset(1 << 12);
    users_.Clear();
    days_.Clear();
    events_.Clear();
    return true;
  }

  size_t Size() const { return size_; }

 private:
  static uint32_t Hash(uint32_t u, uint32_t d, uint32_t e) {
    uint64_t x = u * 0x9E3779B97F4A7C15ull ^ d * 0xC2B2AE3D27D4EB4Full ^ e * 0x165667B19E3779F9ull;
    x ^= x >> 31;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 29;
    return static_cast<uint32_t>(x);
  }

  void Add(uint32_t u, uint32_t d, uint32_t e, uint32_t h, uint32_t n) {
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      Cell& s = slots_[i];
      if (s.user == u && s.day == d && s.event == e) {
        s.count += n;
        return;
      }
      if (s.user == kFree) {
        s = {u, d, e, n};
        size_++;
        return;
      }
    }
  }

  void Reset(size_t slots) {
    slots_.Reset(slots, Cell{kFree, 0, 0, 0});
    mask_ = slots - 1;
    size_ = 0;
  }

  void Grow() {
    Slots<Cell> old;
    old.Swap(slots_);
    Reset(old.size() * 2);
    for (const Cell& s : old)
      if (s.user != kFree) Add(s.user, s.day, s.event, Hash(s.user, s.day, s.event), s.count);
  }

  Slots<Cell> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
  std::vector<Cell> pending_;
  std::vector<uint8_t> seen_;
  Distinct users_, days_, events_;
};

// ---------------------------------------------------------------------------------------------
// N-API glue

napi_value NewIdSet(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_value self;
  CHECK(napi_get_cb_info(env, info, &argc, argv, &self, nullptr));
  double capacity = 0;
  if (argc < 1 || napi_get_value_double(env, argv[0], &capacity) != napi_ok || !(capacity >= 0) ||
      capacity > 1e9)
    return TypeError(env, "IdSet(capacity: number from 0 to 1e9)");
  return Own(env, self, new IdSet(static_cast<size_t>(capacity)));
}

// addAll(hashes: Uint32Array, out: Uint8Array): number
napi_value IdSetAddAll(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  IdSet* set = Self<IdSet>(env, info, &argc, argv);
  uint32_t* hashes;
  uint8_t* out;
  size_t words, outLength;
  if (set == nullptr || argc < 2 || !TypedArg(env, argv[0], napi_uint32_array, &hashes, &words) ||
      !TypedArg(env, argv[1], napi_uint8_array, &out, &outLength) || outLength < words / 3)
    return TypeError(env, "addAll(hashes: Uint32Array, out: Uint8Array of hashes.length / 3)");
  napi_value result;
  CHECK(napi_create_double(env, static_cast<double>(set->AddAll(hashes, words / 3, out)), &result));
  return result;
}

napi_value NewCellCounter(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  napi_value self;
  CHECK(napi_get_cb_info(env, info, &argc, nullptr, &self, nullptr));
  return Own(env, self, new CellCounter());
}

// count(columns: Int32Array, fresh: Uint8Array | null, usageTypes: Int32Array): Int32Array (new users)
napi_value CounterCount(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CellCounter* counter = Self<CellCounter>(env, info, &argc, argv);
  int32_t* cols;
  int32_t* usage;
  uint8_t* fresh = nullptr;
  size_t words, nUsage, freshLength = 0;
  napi_valuetype freshType = napi_null;
  if (counter == nullptr || argc < 3 || !TypedArg(env, argv[0], napi_int32_array, &cols, &words) ||
      napi_typeof(env, argv[1], &freshType) != napi_ok ||
      (freshType != napi_null && !TypedArg(env, argv[1], napi_uint8_array, &fresh, &freshLength)) ||
      !TypedArg(env, argv[2], napi_int32_array, &usage, &nUsage) ||
      (fresh != nullptr && freshLength < words / kColumns))
    return TypeError(env, "count(columns: Int32Array, fresh: Uint8Array | null, usageTypes: Int32Array)");
  std::vector<int32_t> users;
  counter->Count(cols, words / kColumns, fresh, usage, nUsage, users);
  return TypedArrayOf(env, napi_int32_array, users);
}

// lists(): [users: Int32Array, days: Int32Array, events: Int32Array]
napi_value CounterLists(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  CellCounter* counter = Self<CellCounter>(env, info, &argc, nullptr);
  if (counter == nullptr) return nullptr;
  std::vector<int32_t> users, days, events;
  counter->Lists(users, days, events);
  napi_value result;
  CHECK(napi_create_array_with_length(env, 3, &result));
  const std::vector<int32_t>* lists[3] = {&users, &days, &events};
  for (uint32_t k = 0; k < 3; k++) {
    napi_value v = TypedArrayOf(env, napi_int32_array, *lists[k]);
    if (v == nullptr) return nullptr;
    CHECK(napi_set_element(env, result, k, v));
  }
  return result;
}

// take(userRank, dayRank, eventRank: Int32Array): [user, day, event: Int32Array, count: Float64Array]
napi_value CounterTake(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CellCounter* counter = Self<CellCounter>(env, info, &argc, argv);
  int32_t *ur, *dr, *er;
  size_t nu, nd, ne;
  if (counter == nullptr || argc < 3 || !TypedArg(env, argv[0], napi_int32_array, &ur, &nu) ||
      !TypedArg(env, argv[1], napi_int32_array, &dr, &nd) || !TypedArg(env, argv[2], napi_int32_array, &er, &ne))
    return TypeError(env, "take(userRank: Int32Array, dayRank: Int32Array, eventRank: Int32Array)");
  // Written straight into the arrays handed to JavaScript (millions of cells: no extra copy).
  const size_t size = counter->Size();
  void* data[4];
  napi_value v[4];
  const napi_typedarray_type types[4] = {napi_int32_array, napi_int32_array, napi_int32_array, napi_float64_array};
  for (int k = 0; k < 4; k++) {
    napi_value ab;
    CHECK(napi_create_arraybuffer(env, size * (k == 3 ? sizeof(double) : sizeof(int32_t)), &data[k], &ab));
    CHECK(napi_create_typedarray(env, types[k], size, ab, 0, &v[k]));
  }
  if (!counter->Take(ur, nu, dr, nd, er, ne, static_cast<int32_t*>(data[0]), static_cast<int32_t*>(data[1]),
                     static_cast<int32_t*>(data[2]), static_cast<double*>(data[3])))
    return TypeError(env, "take: one rank per id of lists(), each below its list's length");
  napi_value result;
  CHECK(napi_create_array_with_length(env, 4, &result));
  for (uint32_t k = 0; k < 4; k++) CHECK(napi_set_element(env, result, k, v[k]));
  return result;
}

bool DefineClass(napi_env env, napi_value exports, const char* name, napi_callback constructor,
                 const napi_property_descriptor* methods, size_t count) {
  napi_value cls;
  return napi_define_class(env, name, NAPI_AUTO_LENGTH, constructor, nullptr, count, methods, &cls) == napi_ok &&
         napi_set_named_property(env, exports, name, cls) == napi_ok;
}

}  // namespace

bool RegisterTables(napi_env env, napi_value exports) {
  const napi_property_descriptor idSet[] = {
      {"addAll", nullptr, IdSetAddAll, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  const napi_property_descriptor counter[] = {
      {"count", nullptr, CounterCount, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"lists", nullptr, CounterLists, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"take", nullptr, CounterTake, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  return DefineClass(env, exports, "IdSet", NewIdSet, idSet, 1) &&
         DefineClass(env, exports, "CellCounter", NewCellCounter, counter, 3);
}
