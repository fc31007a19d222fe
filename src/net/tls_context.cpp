// Loads the TLS certificate chain, key and client CAs, with errors an operator can act on.
#include "net/tls_context.hpp"

#include <botan/data_src.h>
#include <botan/pk_keys.h>
#include <botan/pkcs8.h>
#include <botan/x509cert.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <fstream>
#include <iterator>
#include <vector>

#include "net/tls_engine.hpp"

namespace net {
namespace {

template <typename T>
using Loaded = tl::expected<T, std::string>;

std::string quoted(const std::string& path) {
  return "'" + path + "'";
}

Loaded<std::string> read_file(const std::string& key, const std::string& path) {
  if (path.empty()) return tl::unexpected(key + ": is required");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return tl::unexpected(key + ": cannot read " + quoted(path) + ": " + std::strerror(errno));
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    return tl::unexpected(key + ": cannot read " + quoted(path) + ": " + std::strerror(errno));
  }
  if (bytes.empty()) return tl::unexpected(key + ": " + quoted(path) + " is empty");
  return bytes;
}

Botan::X509_Certificate parse_certificate(std::string_view bytes) {
  Botan::DataSource_Memory source(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                  bytes.size());
  return Botan::X509_Certificate(source);
}

/// Every certificate in a PEM file (or the one in a DER file), in file order.
Loaded<std::vector<Botan::X509_Certificate>> load_certificates(const std::string& key,
                                                               const std::string& path) {
  auto bytes = read_file(key, path);
  if (!bytes) return tl::unexpected(bytes.error());
  static constexpr std::string_view begin = "-----BEGIN CERTIFICATE-----";
  static constexpr std::string_view end = "-----END CERTIFICATE-----";
  std::vector<Botan::X509_Certificate> certs;
  try {
    if (bytes->find(begin) == std::string::npos) {
      certs.push_back(parse_certificate(*bytes));  // DER
      return certs;
    }
    for (auto at = bytes->find(begin); at != std::string::npos; at = bytes->find(begin, at)) {
      const auto stop = bytes->find(end, at);
      if (stop == std::string::npos) {
        return tl::unexpected(key + ": " + quoted(path) + ": certificate " +
                              std::to_string(certs.size() + 1) + " has no END line");
      }
      certs.push_back(
          parse_certificate(std::string_view(*bytes).substr(at, stop + end.size() - at)));
      at = stop;
    }
  } catch (const std::exception& e) {
    return tl::unexpected(key + ": " + quoted(path) + ": certificate " +
                          std::to_string(certs.size() + 1) + " is not valid: " + e.what());
  }
  return certs;
}

Loaded<std::unique_ptr<Botan::Private_Key>> load_private_key(const std::string& path) {
  const std::string key = "tls.key_file";
  auto bytes = read_file(key, path);
  if (!bytes) return tl::unexpected(bytes.error());
  if (bytes->find("-----BEGIN EC PRIVATE KEY-----") != std::string::npos ||
      bytes->find("-----BEGIN RSA PRIVATE KEY-----") != std::string::npos) {
    return tl::unexpected(key + ": " + quoted(path) +
                          " is a traditional (SEC1/PKCS#1) key; convert it to PKCS#8 with "
                          "'openssl pkcs8 -topk8 -nocrypt -in " +
                          path + "'");
  }
  try {
    Botan::DataSource_Memory source(reinterpret_cast<const std::uint8_t*>(bytes->data()),
                                    bytes->size());
    auto private_key = Botan::PKCS8::load_key(source);
    const auto algo = private_key->algo_name();
    if (algo != "ECDSA" && algo != "RSA") {
      return tl::unexpected(key + ": " + quoted(path) + ": a " + algo +
                            " key cannot sign TLS 1.2 handshakes (use ECDSA or RSA)");
    }
    return private_key;
  } catch (const std::exception& e) {
    return tl::unexpected(key + ": " + quoted(path) +
                          " is not an unencrypted PKCS#8 private key: " + e.what());
  }
}

bool key_matches(const Botan::Private_Key& key, const Botan::X509_Certificate& cert) {
  try {
    return cert.load_subject_public_key()->public_key_bits() == key.public_key_bits();
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

tl::expected<std::shared_ptr<const TlsContext>, std::string> TlsContext::load(
    const TlsSettings& settings) {
  auto chain = load_certificates("tls.cert_file", settings.cert_file);
  if (!chain) return tl::unexpected(chain.error());
  auto key = load_private_key(settings.key_file);
  if (!key) return tl::unexpected(key.error());
  if (!key_matches(**key, chain->front())) {
    return tl::unexpected("tls.key_file: " + quoted(settings.key_file) +
                          " does not match the first certificate in " + quoted(settings.cert_file));
  }
  std::vector<Botan::X509_Certificate> client_cas;
  if (!settings.client_ca_file.empty()) {
    auto cas = load_certificates("tls.client_ca_file", settings.client_ca_file);
    if (!cas) return tl::unexpected(cas.error());
    client_cas = std::move(*cas);
  } else if (settings.require_client_cert) {
    return tl::unexpected(std::string("tls.require_client_cert: needs tls.client_ca_file"));
  }
  return std::make_shared<const TlsContext>(detail::make_tls_backend(
      std::move(*chain), std::move(*key), std::move(client_cas), settings.require_client_cert));
}

}  // namespace net
