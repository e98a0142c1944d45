# Validates many cloud-config files in one interpreter with the code path of `cloud-init schema -c FILE`
# (cloudinit.config.schema.validate_cloudconfig_file against the shipped schema): one Python start-up
# instead of one per file. Prints "VALID <path>" or "INVALID <path>: <reason>" per file.
import sys

from cloudinit.config.schema import SchemaValidationError, get_schema, validate_cloudconfig_file

schema = get_schema()
bad = 0
for path in sys.argv[1:]:
    try:
        validate_cloudconfig_file(path, schema)
        print("VALID " + path)
    except (SchemaValidationError, RuntimeError) as e:
        bad += 1
        print("INVALID " + path + ": " + " ".join(str(e).split()))
sys.exit(1 if bad else 0)
