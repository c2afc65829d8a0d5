/* ext/chart.c -- (being written) */
#include "registry.h"

const FunctionSpec chart_functions[] = {{0, 0, 0, 0, 0, 0, 0, 0}};
