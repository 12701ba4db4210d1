#!/usr/bin/env bash
# Installs everything the console and its tests need on a fresh Debian machine. Safe to run again.
#   - the .NET 10 SDK must already be on PATH;
#   - Node.js and npm build the charts module (wwwroot-assets) during the console's build;
#   - Debian's chromium runs the end-to-end tests (never a downloaded browser);
#   - Debian's fonts-dejavu-core gives the PDF after-action report its font (PDFsharp finds no fonts by itself on Linux);
#   - Debian's awscli (the AWS CLI v2, /usr/bin/aws) drives the served twin in its tests, beside the image's CLI v1.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v docker-compose >/dev/null 2>&1 || need_apt+=(docker-compose)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
[ -x /usr/bin/aws ] || need_apt+=(awscli)
if [ ${#need_apt[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${need_apt[*]} from Debian"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# The AWS adapters are proven against implementations nobody here wrote: moto's server, botocore and the AWS CLI v1
# (Python), and Debian's AWS CLI v2 above. The machine image has them; elsewhere pip installs them.
if ! command -v moto_server >/dev/null 2>&1 || ! command -v aws >/dev/null 2>&1 || ! python3 -c "import boto3, botocore" >/dev/null 2>&1; then
  echo "setup: installing moto[server], boto3 and the AWS CLI v1 with pip"
  if ! python3 -m pip install -q "moto[server]>=5.2" boto3 awscli; then
    echo "setup: moto_server, boto3 and the AWS CLI v1 (Python 3) are required by the AWS adapters' tests and could not be installed: install them with 'python3 -m pip install \"moto[server]>=5.2\" boto3 awscli'." >&2
    exit 1
  fi
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is required (https://dotnet.microsoft.com/download); dotnet was not found on PATH." >&2
  exit 1
fi

(cd wwwroot-assets && npm ci --no-audit --no-fund --silent)
dotnet tool restore >/dev/null
dotnet restore AWorld.Console.sln --verbosity quiet
