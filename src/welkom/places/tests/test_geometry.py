from __future__ import annotations

from django.test import SimpleTestCase

from welkom.places.geometry import centre, contains, distance_km

SQUARE = [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]  # counter-clockwise
HOLE = [[0.5, 0.5], [0.5, 1.5], [1.5, 1.5], [1.5, 0.5], [0.5, 0.5]]
FAR_CLOCKWISE = [[10, 0], [10, 2], [12, 2], [12, 0], [10, 0]]


class GeometryTests(SimpleTestCase):
    def test_a_point_in_a_hole_is_outside(self):
        donut = {"type": "Polygon", "coordinates": [SQUARE, HOLE]}
        self.assertTrue(contains(donut, 0.2, 0.2))
        self.assertFalse(contains(donut, 1, 1))
        self.assertFalse(contains(donut, 3, 3))

    def test_the_centre_of_two_squares_whatever_their_direction(self):
        both = {"type": "MultiPolygon", "coordinates": [[SQUARE], [FAR_CLOCKWISE]]}
        x, y = centre(both)
        self.assertAlmostEqual(x, 6)
        self.assertAlmostEqual(y, 1)
        self.assertTrue(contains(both, 11, 1))

    def test_no_shape_has_no_centre(self):
        self.assertIsNone(centre({"type": "Point", "coordinates": [1, 2]}))

    def test_distance_between_heerlen_and_venlo_is_about_55_km(self):
        self.assertAlmostEqual(distance_km((5.98, 50.89), (6.17, 51.37)), 55, delta=5)
