// Shared by the N-API glue of every source file of the module.
#pragma once

#include <node_api.h>

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
