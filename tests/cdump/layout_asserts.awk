# SPDX-License-Identifier: BSD-2-Clause
# tests/cdump/run.sh: bpftool raw dump in, C layout checks out.
# From bpftool's raw dump: _Static_assert lines for the size and member
# offsets of every struct/union whose tag name is unique (among struct,
# union, enum and forward-declaration tags: others get renamed).
/^\[[0-9]+\] (STRUCT|UNION|ENUM|ENUM64|FWD) '/ {
	name = $3; gsub(/'/, "", name)
	if (name != "(anon)")
		tags[name]++
}
/^\[[0-9]+\] (STRUCT|UNION) '/ {
	kind = ($2 == "STRUCT") ? "struct" : "union"
	cur = (name == "(anon)") ? "" : name
	if (cur != "") {
		split($4, a, "="); size[cur] = a[2]; kw[cur] = kind; nm[cur] = 0
	}
	next
}
/^\[/ { cur = ""; next }
cur != "" && /^\t'/ {
	m = $1; gsub(/'/, "", m)
	if (m == "(anon)" || $0 ~ /bitfield_size=/) next
	split($3, b, "="); n = ++nm[cur]; mem[cur, n] = m; off[cur, n] = b[2]
}
END {
	for (s in size) {
		if (tags[s] != 1) continue
		t = kw[s] " " s
		printf "_Static_assert(sizeof(%s) == %s, \"%s\");\n", t, size[s], t
		for (i = 1; i <= nm[s]; i++)
			printf "_Static_assert(__builtin_offsetof(%s, %s) * 8 == %s, \"%s.%s\");\n", t, mem[s, i], off[s, i], t, mem[s, i]
	}
}
