#!/bin/sh
# The first process inside a grade's box (coursework/sandbox.py): starts the local bookshop when
# the run needs one (on the box's own loopback), runs the command, and afterwards writes down what
# the command left running, then stops it. It ends as the command ended. Its summary is words for
# the report, not evidence: the command runs with the same rights inside the box.
#
#   sandbox_init.sh SUMMARY [BOOKSHOP_DIR BOOKSHOP_SCRIPT PORT] -- COMMAND...
summary=$1
shift
shop=
if [ "$1" != "--" ]; then
  python3 "$2" serve "$1" --port "$3" >/dev/null 2>&1 &
  shop=$!
  tries=0
  until python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $3)))" 2>/dev/null; do
    tries=$((tries + 1))
    [ "$tries" -gt 500 ] && { echo "sandbox: the local bookshop did not start" >&2; exit 2; }
    sleep 0.02
  done
  shift 3
fi
shift # --

"$@" &
child=$!
for signal in INT TERM HUP; do trap "kill -$signal $child 2>/dev/null" "$signal"; done
while :; do
  wait "$child"
  status=$?
  kill -0 "$child" 2>/dev/null || break # a trapped signal ends the wait, not the command
done

# What is left: named, then stopped, with builtins only (a program that forked without end leaves
# no room for one more process).
left=
for entry in /proc/[0-9]*; do
  pid=${entry#/proc/}
  case " $$ $shop 1 " in *" $pid "*) continue ;; esac
  read -r name <"$entry/comm" 2>/dev/null || continue
  left="$left\"$name ($pid)\", "
done
# Every other process of the box at once (kill -1: all this user may signal but itself and the
# box's init), so that no process forking without end outruns the killing.
for round in 1 2 3; do kill -9 -1 2>/dev/null; done
printf '{"status": %s, "left_running": [%s]}\n' "$status" "${left%, }" >"$summary" 2>/dev/null
exit "$status"
