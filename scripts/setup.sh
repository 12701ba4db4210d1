#!/usr/bin/env bash
# Installs everything the console and its tests need on a fresh Debian machine. Safe to run again.
set -euo pipefail

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is required (https://dotnet.microsoft.com/download); dotnet was not found on PATH." >&2
  exit 1
fi

dotnet restore AWorld.Console.sln --verbosity quiet
