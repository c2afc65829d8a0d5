/*
** args.h -- reading and checking SQL function arguments, and precise errors.
**
** Every numeric argument goes through arg_number() or one of its range
** variants, so that every function treats bad input the same way:
**
**   NULL                      -> ARG_NULL   (the caller returns NULL)
**   integer, real             -> ARG_OK
**   text that reads wholly as a finite number ('12', ' 3.5 ', '1e3') -> ARG_OK
**     (read by length, ext/numtext.h: '40' || char(0) || 'x' is not 40)
**   '', 'abc', '12abc', blob, NaN, +-inf, out of range  -> ARG_ERROR, with
**       the error already set on the context, worded
**       "fn: name must be WHAT, got VALUE"
**
** Typical use:
**   double rate;
**   int rc = arg_fraction(ctx, argv[1], "dept_potential", "usage_rate", &rate);
**   if (rc != ARG_OK) return;   // NULL result or error already set
*/
#ifndef TERRITORY_ARGS_H
#define TERRITORY_ARGS_H

#include "sqlite_api.h"

enum { ARG_OK = 0, ARG_NULL = 1, ARG_ERROR = -1 };

/* Any finite number. */
int arg_number(sqlite3_context *ctx, sqlite3_value *v, const char *fn,
               const char *name, double *out);
/* A finite number >= 0. */
int arg_nonneg(sqlite3_context *ctx, sqlite3_value *v, const char *fn,
               const char *name, double *out);
/* A finite number in [0, 1]. */
int arg_fraction(sqlite3_context *ctx, sqlite3_value *v, const char *fn,
                 const char *name, double *out);
/* A finite number in [lo, hi]. */
int arg_between(sqlite3_context *ctx, sqlite3_value *v, const char *fn,
                const char *name, double lo, double hi, double *out);
/* A whole number that fits in 64 bits (3.0 is accepted, 3.5 is not). */
int arg_int64(sqlite3_context *ctx, sqlite3_value *v, const char *fn,
              const char *name, sqlite3_int64 *out);
/* Non-empty text (any text; numbers are read as their text). NULL is ARG_NULL;
** blobs, '' and text with a NUL character inside are errors.  *out points into the value: copy it if needed. */
int arg_text(sqlite3_context *ctx, sqlite3_value *v, const char *fn,
             const char *name, const char **out);

/* One of the readers above, for arg_read_all(). */
typedef int (*ArgReader)(sqlite3_context *ctx, sqlite3_value *v,
                         const char *fn, const char *name, double *out);

/* Reads argv[0..n-1] with readers[i] (all of them, so that a bad value is
** reported even when another argument is NULL).  Returns ARG_ERROR at the
** first bad one, else ARG_NULL if any was NULL, else ARG_OK. */
int arg_read_all(sqlite3_context *ctx, sqlite3_value **argv, int n,
                 const char *fn, const char *const *names,
                 const ArgReader *readers, double *out);

/* Sets "fn: name must be WHAT, got VALUE" on ctx. */
void arg_error(sqlite3_context *ctx, const char *fn, const char *name,
               sqlite3_value *v, const char *what);

/* A short printable rendering of a value for error messages:
** 12, 1.5, 'abc' (text quoted, cut at 40 characters), '' , a blob, NULL,
** inf, -inf.  Free with sqlite3_free(). */
char *value_repr(sqlite3_value *v);

/* value_repr of the n bytes of text z: 'abc', cut at 40 bytes ('abc...'),
** a NUL shown as the SQL that makes it: '40' || char(0) || 'x'. */
char *text_repr(const char *z, int n);

/* Reads a value's text, by its length, as a number exactly as arg_number
** does (the rule of ext/numtext.h); returns 1 if the whole text is a finite
** number.  For any value type: a number's text is read too. */
int value_text_number(sqlite3_value *v, double *out);

/* Sets a double result, or the error "fn: result is out of range" when
** the computation overflowed to infinity or NaN. */
void result_finite(sqlite3_context *ctx, const char *fn, double r);

#endif
