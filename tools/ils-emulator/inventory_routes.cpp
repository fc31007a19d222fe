// Inventory routes: items (inventory and storage views), holdings, instances, search, places.
#include "http_reply.hpp"
#include "routes.hpp"

namespace ils_emulator {

void add_inventory_routes(httplib::Server& server, EmulatorContext& c) {
  Library& lib = c.library;
  serve_collection(server, lib, "/inventory/items", Collection::inventory_items);
  serve_collection(server, lib, "/item-storage/items", Collection::storage_items);
  serve_collection(server, lib, "/holdings-storage/holdings", Collection::holdings);
  serve_collection(server, lib, "/inventory/instances", Collection::instances);
  serve_collection(server, lib, "/instance-storage/instances", Collection::instances);
  serve_collection(server, lib, "/search/instances", Collection::search_instances);
  serve_collection(server, lib, "/service-points", Collection::service_points);
  serve_collection(server, lib, "/locations", Collection::locations);
}

}  // namespace ils_emulator
