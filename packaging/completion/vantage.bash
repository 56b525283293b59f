# bash completion for vantage(1). Installed as
# share/bash-completion/completions/vantage (loaded on demand by
# bash-completion); keep the option lists in step with each command's --help.
_vantage() {
  local cur prev cmd
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}
  local commands="run merge diff validate list-probes demo schema lab analyze watch wire --help --version"
  if ((COMP_CWORD == 1)); then
    mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
    return
  fi
  cmd=${COMP_WORDS[1]}
  local report="--report-dir --json --junit --html --sarif --no-color"
  local opts
  case $cmd in
    run) opts="$report --fail-on --baseline --fail-on-new --waivers --jobs --per-target
               --timeout-ms --only --quiet --var --vars --inventory --limit --shard --help" ;;
    merge) opts="$report --quiet --verbose --help" ;;
    validate) opts="--var --vars --inventory --limit --shard --help" ;;
    diff) opts="--fail-on --help" ;;
    demo) opts="--report-dir --no-color --help" ;;
    analyze) opts="$report --api-port --tls-port --all-flows --quiet --help" ;;
    watch) opts="$report --interface --netns --duration --pcap --filter --api-port --tls-port
                 --all-flows --quiet --help" ;;
    lab) opts="--config --listen --routers --first-address --key --threads --write-inventory --write-ca --print-nft --quiet --help" ;;
    wire) opts="--delay --jitter --loss --ingress-delay --egress-delay --ingress-jitter
                --egress-jitter --ingress-loss --egress-loss --loopback --queue-limit --seed
                --duration --netns --ready-file --help" ;;
    *) opts="--help" ;;
  esac
  case $prev in
    --fail-on)
      mapfile -t COMPREPLY < <(compgen -W "critical high medium low info" -- "$cur")
      return ;;
    --report-dir)
      mapfile -t COMPREPLY < <(compgen -d -- "$cur")
      return ;;
    --interface | -i)
      mapfile -t COMPREPLY < <(compgen -W "any $(ls /sys/class/net 2>/dev/null)" -- "$cur")
      return ;;
    --netns)
      mapfile -t COMPREPLY < <(compgen -W "$(ls /run/netns 2>/dev/null)" -- "$cur")
      return ;;
    --json | --junit | --html | --sarif | --baseline | --waivers | --vars | --config | --pcap | \
      --write-ca | --ready-file | --inventory)
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      return ;;
  esac
  if [[ $cmd == merge && $cur != -* ]]; then  # the shards' JSON reports
    mapfile -t COMPREPLY < <(compgen -f -X '!*.json' -- "$cur")
    compopt -o plusdirs 2>/dev/null
    return
  fi
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
  else
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
  fi
}
complete -o filenames -F _vantage vantage
