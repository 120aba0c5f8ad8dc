"""Where the addresses are: coordinates of workers, clients, sites and agencies, and how they are found.

`models` holds the coordinates every located record carries and the table of known addresses (seeded data and
the real geocoder's cache); `backends` the geocoders behind one small interface chosen in settings; `tasks`
the background job run when an address is saved; `travel` the travel time between two points by mode.
"""
