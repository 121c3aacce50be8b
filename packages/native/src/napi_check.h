// Shared by the N-API glue of every source file of the module.
#pragma once

#include <node_api.h>

#include <cstring>
#include <vector>

// Throws and returns from the N-API callback when a call fails.
#define CHECK(call)                                                      \
  do {                                                                   \
    if ((call) != napi_ok) {                                             \
      napi_throw_error(env, nullptr, "tenure native: " #call " failed"); \
      return nullptr;                                                    \
    }                                                                    \
  } while (0)

// Registers the hash tables of tables.cc (IdSet, CellCounter) on `exports`; false on failure.
bool RegisterTables(napi_env env, napi_value exports);

// A new typed array of `type` holding a copy of `values` (nullptr, with an exception pending, on failure).
template <typename T>
napi_value TypedArrayOf(napi_env env, napi_typedarray_type type, const std::vector<T>& values) {
  void* data = nullptr;
  napi_value ab;
  size_t bytes = values.size() * sizeof(T);
  CHECK(napi_create_arraybuffer(env, bytes, &data, &ab));
  if (bytes > 0) memcpy(data, values.data(), bytes);
  napi_value array;
  CHECK(napi_create_typedarray(env, type, values.size(), ab, 0, &array));
  return array;
}
