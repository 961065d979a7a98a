// Training data from a spanloop server: the IOB JSONL export of submitted responses.
#pragma once

#include <string>

namespace spanloop::ml::train {

// GET {server}/api/v1/datasets/{id}/export?format=iob-jsonl&status=submitted with the API key in
// X-Argilla-Api-Key. `dataset` is an id (UUID) or a name, resolved with GET /api/v1/me/datasets
// ?name=NAME. Returns the JSONL body; throws Unavailable (connection), Unauthenticated (401/403),
// NotFound (404, unknown name) naming the URL.
std::string fetch_server_export(const std::string& server, const std::string& dataset,
                                const std::string& api_key);

}  // namespace spanloop::ml::train
