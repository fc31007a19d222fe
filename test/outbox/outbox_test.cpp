// The outbox test program; the cases live in the *_test.cpp files beside it.
#define BOOST_TEST_MODULE outbox
#include <boost/test/unit_test.hpp>
