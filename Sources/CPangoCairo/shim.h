#ifndef VITRINE_CPANGOCAIRO_SHIM_H
#define VITRINE_CPANGOCAIRO_SHIM_H
#include <pango/pangocairo.h>
#include <cairo.h>
#endif
