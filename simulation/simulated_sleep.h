// Forced into the experiments' code and the MPI programs of the SMPI build (the smpi preset), and
// nowhere else: the programs' sources do not change.
//
// SimGrid's SMPI moves a simulated rank's clock on by the CPU time its code takes between MPI
// calls. A sleep takes no CPU time, so the notebook's dormir(x) would take no simulated time at
// all. std::this_thread::sleep_for calls nanosleep in the program's own code (it is inline):
// routed to SMPI's, each sleep lasts on the simulated clock as long as it was asked to.
#ifndef PARACON_SIMULATED_SLEEP_H
#define PARACON_SIMULATED_SLEEP_H

#include <time.h> // declared first, under its own name: the macro below renames only the calls

#include <smpi/smpi_helpers_internal.h> // smpi_nanosleep

#define nanosleep(requested, remaining) smpi_nanosleep((requested), (remaining))

#endif
