// N-API helpers shared by the glue of every source file of the module.
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

// The typed array `v` when it is one of type `want` (its data and element count), else false.
template <typename T>
bool TypedArg(napi_env env, napi_value v, napi_typedarray_type want, T** data, size_t* length) {
  bool is = false;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return false;
  napi_typedarray_type type;
  void* p = nullptr;
  napi_value ab;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, length, &p, &ab, &offset) != napi_ok || type != want) return false;
  *data = static_cast<T*>(p);
  return true;
}

// The native object behind `this` of a method call, its arguments in `argv` (nullptr on failure).
template <typename T>
T* Self(napi_env env, napi_callback_info info, size_t* argc, napi_value* argv) {
  napi_value self;
  if (napi_get_cb_info(env, info, argc, argv, &self, nullptr) != napi_ok) return nullptr;
  void* data = nullptr;
  if (napi_unwrap(env, self, &data) != napi_ok) return nullptr;
  return static_cast<T*>(data);
}

// Ties `object` to the JavaScript `self` a constructor builds, deleted when `self` is collected.
template <typename T>
napi_value Own(napi_env env, napi_value self, T* object) {
  CHECK(napi_wrap(env, self, object, [](napi_env, void* data, void*) { delete static_cast<T*>(data); }, nullptr,
                  nullptr));
  return self;
}

// Throws a TypeError; returns nullptr for the callback to return.
inline napi_value TypeError(napi_env env, const char* message) {
  napi_throw_type_error(env, nullptr, message);
  return nullptr;
}
