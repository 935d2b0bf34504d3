// The simulation driver lives here (issue 4).
