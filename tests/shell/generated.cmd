# Generated test files are what their generators make now: the bad-input
# matrix test and its documentation come from tests/matrix/matrix.json.
$ python3 tests/gen/matrix.py --check
