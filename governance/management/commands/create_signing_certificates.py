"""Self-issued demo signing keys: a demo CA and one PKCS#12 per organisation, in SIGNING_DIR.

For the demo world and tests only – production keys are issued by each organisation's own CA.
"""

import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.management.base import BaseCommand

from governance.signing import ca_path, key_path, signing_dir
from samverkan.models import Organisation

VALID_DAYS = 3 * 365


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


class Command(BaseCommand):
    help = "Skapar självutfärdade demo-certifikat för signering (en demo-CA och en nyckel per organisation)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Skapa nya även om de finns")

    def handle(self, *args, force=False, **options):
        directory = signing_dir()
        directory.mkdir(parents=True, exist_ok=True)
        now = datetime.datetime.now(datetime.UTC)
        ca_key_file = directory / "ca-key.pem"
        if force or not ca_path().exists() or not ca_key_file.exists():
            ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            ca_name = _name("Samverkan Demo CA", "Samverkan (demo)")
            ca_cert = (
                x509.CertificateBuilder()
                .subject_name(ca_name)
                .issuer_name(ca_name)
                .public_key(ca_key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(days=1))
                .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(
                    x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True
                )
                .sign(ca_key, hashes.SHA256())
            )
            ca_path().write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
            ca_key_file.write_bytes(
                ca_key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )
            ca_key_file.chmod(0o600)
            force = True  # keys signed by an older CA would no longer validate
        ca_cert = x509.load_pem_x509_certificate(ca_path().read_bytes())
        ca_key = serialization.load_pem_private_key(ca_key_file.read_bytes(), password=None)

        created = 0
        for organisation in Organisation.objects.order_by("name"):
            path = key_path(organisation)
            if path.exists() and not force:
                continue
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            cert = (
                x509.CertificateBuilder()
                .subject_name(_name(f"{organisation.name} (signering)", organisation.name))
                .issuer_name(ca_cert.subject)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(days=1))
                .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(
                    x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
                )
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
                .sign(ca_key, hashes.SHA256())
            )
            data = pkcs12.serialize_key_and_certificates(
                name=organisation.short_name.encode(),
                key=key,
                cert=cert,
                cas=[ca_cert],
                encryption_algorithm=serialization.BestAvailableEncryption(
                    settings.SIGNING_KEY_PASSPHRASE.encode()
                ),
            )
            path.write_bytes(data)
            path.chmod(0o600)
            created += 1
        self.stdout.write(f"Signeringsnycklar i {directory}: {created} nya.")
