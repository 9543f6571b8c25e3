@echo off
rem Voor verwerk.cmd en nieuwe-werkmap.cmd (niet zelf starten): zorg dat .venv de pipeline bevat.
rem De eerste keer, en na elke wijziging van pyproject.toml: zoek Python 3.11 of nieuwer (de
rem py-launcher van python.org, anders python), maak de omgeving in .venv.nieuw, installeer de
rem pipeline en zet de omgeving pas daarna op haar plaats: een afgebroken installatie laat niets
rem half achter. Draait in de map van de pipeline (de launchers doen cd naar hun eigen map).
if exist ".venv\Scripts\python.exe" (
  fc /b "pyproject.toml" ".venv\pyproject.toml" >nul 2>nul && exit /b 0
)
set "PYTHON_CMD="
py -3 -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)" >nul 2>nul && set "PYTHON_CMD=py -3"
if not defined PYTHON_CMD (
  python -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)" >nul 2>nul && set "PYTHON_CMD=python"
)
if not defined PYTHON_CMD (
  echo Fout: de pipeline heeft Python 3.11 of nieuwer nodig, en dat is niet gevonden.
  echo Installeer Python van https://www.python.org/downloads/ en start dit bestand opnieuw.
  exit /b 1
)
echo Eenmalig: Python-omgeving maken en de pipeline installeren in .venv. Dit duurt een paar minuten...
if exist ".venv.nieuw" rmdir /s /q ".venv.nieuw"
%PYTHON_CMD% -m venv ".venv.nieuw" || goto :mislukt
".venv.nieuw\Scripts\python.exe" -m pip install --quiet --disable-pip-version-check -e . || goto :mislukt
copy /y "pyproject.toml" ".venv.nieuw\pyproject.toml" >nul || goto :mislukt
if exist ".venv" rmdir /s /q ".venv"
move ".venv.nieuw" ".venv" >nul || goto :mislukt
rem The scripts a venv makes name its own folder: install again in place, so they point at .venv.
".venv\Scripts\python.exe" -m pip install --quiet --disable-pip-version-check --no-deps -e . >nul 2>nul
echo Installatie klaar.
exit /b 0
:mislukt
if exist ".venv.nieuw" rmdir /s /q ".venv.nieuw"
echo Fout: installeren is mislukt; er is niets achtergelaten. Controleer de internetverbinding en probeer het opnieuw.
exit /b 1
