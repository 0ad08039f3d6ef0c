"""``quotes spark`` as an application file for ``spark-submit``, which runs Python files, not modules:

    spark-submit --master yarn "$(python -c 'import service.spark_submit as m; print(m.__file__)')" INPUT OUTPUT
"""
import sys

if __name__ == "__main__":
    # Python put this file's folder first on the path, where the package's modules would shadow others.
    sys.path.pop(0)
    from service.cli import main

    sys.exit(main(["spark", *sys.argv[1:]]))
