#!/bin/sh
# Generates the certificates the TLS peer tests serve, into $1:
#   ca.pem/ca.key          test CA
#   valid                  localhost + 127.0.0.1, serverAuth, 1 year (sha256, RSA 2048)
#   expired                valid 2020-01-01 .. 2021-01-01
#   notyet                 valid from 2099
#   wrongname              SAN DNS:other.example only
#   iponly                 SAN IP:127.0.0.1 only
#   rsa1024                1024-bit RSA key
#   sha1                   SHA-1 signature
#   clientonly             EKU clientAuth only
#   inter.pem, chained     leaf issued by an intermediate (ca-then-inter.pem: a disordered chain)
#   self                   self-signed localhost (for pinning)
#   impostor               a leaf that claims the test CA as issuer (issuer DN = CA subject,
#                          AKID = CA SKID) but is signed by its own key; valid-ca-chain.pem
#                          and impostor-ca-chain.pem: each leaf followed by the real ca.pem
# Each NAME has NAME.pem and NAME.key.
set -eu
# ca.cnf reads these for every section, so they must always be set.
export SAN=DNS:unused EKU=serverAuth
d=$1
mkdir -p "$d/newcerts"
cd "$d"
: > index.txt
echo 1000 > serial
cat > ca.cnf <<CNF
[ ca ]
default_ca = tca
[ tca ]
dir = .
database = ./index.txt
new_certs_dir = ./newcerts
serial = ./serial
default_md = sha256
default_days = 365
policy = pol
unique_subject = no
[ pol ]
commonName = supplied
[ leaf ]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = \$ENV::EKU
subjectAltName = \$ENV::SAN
[ inter ]
basicConstraints = critical, CA:TRUE
keyUsage = keyCertSign, cRLSign
[ req ]
distinguished_name = dn
[ dn ]
CNF
q() { "$@" > /dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; }
q openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 \
  -subj "/CN=vantage test CA" -addext basicConstraints=critical,CA:TRUE \
  -addext keyUsage=keyCertSign,cRLSign
# leaf NAME BITS SAN [extra openssl ca args...]
leaf() {
  name=$1 bits=$2 san=$3
  shift 3
  q openssl req -newkey rsa:"$bits" -nodes -keyout "$name.key" -out "$name.csr" -subj "/CN=$name.test"
  SAN=$san EKU=${EKU:-serverAuth} q openssl ca -batch -config ca.cnf -extensions leaf -notext \
    -cert "${ISSUER:-ca}.pem" -keyfile "${ISSUER:-ca}.key" -in "$name.csr" -out "$name.pem" "$@"
}
leaf valid 2048 "DNS:localhost,IP:127.0.0.1"
leaf expired 2048 "DNS:localhost,IP:127.0.0.1" -startdate 20200101000000Z -enddate 20210101000000Z
leaf notyet 2048 "DNS:localhost,IP:127.0.0.1" -startdate 20990101000000Z -enddate 20991231000000Z
leaf wrongname 2048 "DNS:other.example"
leaf iponly 2048 "IP:127.0.0.1"
leaf rsa1024 1024 "DNS:localhost,IP:127.0.0.1"
leaf sha1 2048 "DNS:localhost,IP:127.0.0.1" -md sha1
EKU=clientAuth leaf clientonly 2048 "DNS:localhost,IP:127.0.0.1"
q openssl req -newkey rsa:2048 -nodes -keyout inter.key -out inter.csr -subj "/CN=vantage test intermediate"
q openssl ca -batch -config ca.cnf -extensions inter -notext -cert ca.pem -keyfile ca.key \
  -in inter.csr -out inter.pem
ISSUER=inter leaf chained 2048 "DNS:localhost,IP:127.0.0.1"
cat chained.pem inter.pem > chain-full.pem
cat ca.pem inter.pem > ca-then-inter.pem
q openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout self.key \
  -out self.pem -days 90 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1
# The impostor: a look-alike CA (same subject, same SKID as the real one, the
# impostor's key) signs the impostor leaf, so every name and key identifier
# points at the real CA and only the signature tells them apart.
skid=$(openssl x509 -in ca.pem -noout -ext subjectKeyIdentifier | sed -n '2s/ //gp')
[ -n "$skid" ] || { echo "no SKID in ca.pem" >&2; exit 1; }
q openssl req -newkey rsa:2048 -nodes -keyout impostor.key -out impostor.csr -subj /CN=impostor.test
q openssl req -x509 -key impostor.key -out lookalike-ca.pem -days 3650 -subj "/CN=vantage test CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=keyCertSign,cRLSign \
  -addext "subjectKeyIdentifier=$skid"
cat > impostor.ext <<EXT
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
authorityKeyIdentifier = keyid:always
EXT
q openssl x509 -req -in impostor.csr -CA lookalike-ca.pem -CAkey impostor.key -set_serial 4242 \
  -days 365 -sha256 -extfile impostor.ext -out impostor.pem
cat impostor.pem ca.pem > impostor-ca-chain.pem
cat valid.pem ca.pem > valid-ca-chain.pem
# A weak (1536-bit) fixed group, RFC 3526 MODP: no slow prime generation.
q openssl genpkey -genparam -algorithm DH -pkeyopt group:modp_1536 -out dh1536.pem
echo ok
