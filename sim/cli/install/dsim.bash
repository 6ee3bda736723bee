# bash completion for dsim: the commands, each command's options, the protocol families
# after `dsim describe`, and file names elsewhere. Commands and options are read from the
# binary's own --help when you press Tab, so they always match the dsim being completed.
# Installed as share/bash-completion/completions/dsim; or: source sim/cli/install/dsim.bash

_dsim() {
  local cur="${COMP_WORDS[COMP_CWORD]}"
  local dsim="${COMP_WORDS[0]}"
  COMPREPLY=()
  if [ "$COMP_CWORD" -eq 1 ]; then
    local commands
    commands="$("$dsim" --help 2>/dev/null | awk '/^commands/ {on = 1; next} /^$/ {on = 0} on {print $1}')"
    mapfile -t COMPREPLY < <(compgen -W "$commands --help --version" -- "$cur")
    return 0
  fi
  local command="${COMP_WORDS[1]}"
  if [[ "$cur" == -* ]]; then
    # The options section of `dsim COMMAND --help` (Boost's layout: "  -q [ --quiet ]  ...").
    local options
    options="$("$dsim" "$command" --help 2>/dev/null | sed -n '/^options:/,$p' |
      grep -oE '^ +(-[a-zA-Z] \[ )?--[a-z][a-z-]*' | grep -oE -- '--[a-z][a-z-]*')"
    mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
    return 0
  fi
  if [ "$command" = describe ] && [ "$COMP_CWORD" -eq 2 ]; then
    local families
    families="$("$dsim" describe 2>/dev/null | awk -F: '/^[^ ]/ {print $1}')"
    mapfile -t COMPREPLY < <(compgen -W "$families" -- "$cur")
    return 0
  fi
  # Otherwise file names (scenarios, traces, results), by `complete -o default`.
}

complete -o default -F _dsim dsim
