
# --- Names (not in clap's static completion): containers, images and volumes of the store
# --- the command line names (its --root/--runroot/--storage-driver are passed along).
_skiff_store_args() {
    local i w
    _skiff_store=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case $w in
            --root | --runroot | --storage-driver)
                _skiff_store+=("$w" "${COMP_WORDS[i + 1]}")
                ;;
            --root=* | --runroot=* | --storage-driver=*)
                _skiff_store+=("$w")
                ;;
        esac
    done
}

# The subcommand path typed so far, without options and their values ("container rm").
_skiff_command_path() {
    local i w path=() skip=false
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        if $skip; then
            skip=false
            continue
        fi
        case $w in
            --root | --runroot | --storage-driver | --log-level | --url | --connection) skip=true ;;
            -*) ;;
            *) path+=("$w") ;;
        esac
        [[ ${#path[@]} -ge 2 ]] && break
    done
    echo "${path[*]}"
}

_skiff_with_names() {
    _skiff "$@"
    local cur=${COMP_WORDS[COMP_CWORD]} kind=""
    [[ $cur == -* ]] && return 0
    case $(_skiff_command_path) in
        attach* | commit* | diff* | exec* | export* | kill* | logs* | port* | rename* | restart* | \
            rm | "rm "* | start* | stop* | top* | wait* | cp* | "container "*) kind=containers ;;
        "image "* | rmi* | push* | tag* | history* | save* | run* | create*) kind=images ;;
        "volume "*) kind=volumes ;;
        inspect*) kind=any ;;
    esac
    [[ -z $kind ]] && return 0
    # Positional only once the subcommand is complete: `skiff con<TAB>` stays clap's.
    case $(_skiff_command_path) in
        container | image | volume) return 0 ;;
    esac
    local skiff=${COMP_WORDS[0]} names=()
    _skiff_store_args
    if [[ $kind == containers || $kind == any ]]; then
        names+=($("$skiff" "${_skiff_store[@]}" ps -a --format '{{.Names}}' 2>/dev/null))
    fi
    if [[ $kind == images || $kind == any ]]; then
        names+=($("$skiff" "${_skiff_store[@]}" images --format '{{.Repository}}:{{.Tag}}' 2>/dev/null | grep -v '<none>'))
    fi
    if [[ $kind == volumes || $kind == any ]]; then
        names+=($("$skiff" "${_skiff_store[@]}" volume ls -q 2>/dev/null))
    fi
    [[ ${#names[@]} -eq 0 ]] && return 0
    COMPREPLY=($(compgen -W "${names[*]}" -- "$cur"))
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _skiff_with_names -o nosort -o bashdefault -o default skiff
else
    complete -F _skiff_with_names -o bashdefault -o default skiff
fi
