#pragma once
// The nft ruleset a lab config's firewall implies: the config's
// /ip/firewall/filter rules and address lists, translated rule for rule (RouterOS
// filters are netfilter underneath; first match wins). One source of truth:
// lab/topology.sh loads what `vantage lab --print-nft` prints.
#include <string>

#include "lab/config.hpp"

namespace vantage::lab {

// An `nft -f` file: table inet routeros, one set per address list, chain
// input. A rule with log=yes (or action=log) logs with the rule's prefix, to
// NFLOG group cfg.nflog_group when that is set (the lab's /log reads it).
std::string nft_ruleset(const LabConfig& cfg);

}  // namespace vantage::lab
