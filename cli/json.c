// SPDX-License-Identifier: BSD-2-Clause
/*
 * JSON strings for the commands' --json output. Bytes that are not printable
 * ASCII (BTF names may hold any byte) come out as \u00XX escapes, so the
 * document is always valid JSON, whatever the input.
 */
#include <stdio.h>

#include "cli.h"

void cli_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}
