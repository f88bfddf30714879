#pragma once
// Everything a user needs: #include <asebytes/asebytes.hpp>.
#include "asebytes/adapters.hpp"
#include "asebytes/backend.hpp"
#include "asebytes/codec.hpp"
#include "asebytes/error.hpp"
#include "asebytes/frame.hpp"
#include "asebytes/io.hpp"
#include "asebytes/metadata.hpp"
#include "asebytes/ndarray.hpp"
#include "asebytes/registry.hpp"
#include "asebytes/slice.hpp"
#include "asebytes/value.hpp"
#include "asebytes/views.hpp"
