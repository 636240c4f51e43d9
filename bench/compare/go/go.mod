module atomicfiles.bench/renameio

go 1.19

require github.com/google/renameio/v2 v2.0.0

// Debian's golang-github-google-renameio-dev: no module proxy is needed (or reachable) here.
replace github.com/google/renameio/v2 => /usr/share/gocode/src/github.com/google/renameio
