// The handler test program; the cases live in the *_handlers_test.cpp files beside it.
#define BOOST_TEST_MODULE handlers
#include <boost/test/unit_test.hpp>
