# Every policy key of the schema's settings is read by some canned report
# (as `key = '...'` in sql/reports/*.sql): a setting nobody reads is a
# promise the reports do not keep, so it is removed or used (issue 15).
# The keys come from the canonical schema itself (.init), so a key added
# there without a reader fails here; the count guards the list itself.
$ n=0; for k in $($TERRITORY :memory: .init "SELECT key FROM settings"); do n=$((n+1)); re=$(printf %s "$k" | sed 's/\./\\./g'); grep -qE "key *= *'+$re'" sql/reports/*.sql || echo "no report reads the setting $k"; done; echo "$n settings checked"
> 32 settings checked
