@echo off
rem Maak een nieuwe, lege case-werkmap in de map input en open haar in Excel: dubbelklik dit bestand.
rem De eerste keer maakt het een eigen Python-omgeving (.venv) en installeert het de pipeline.
setlocal
cd /d "%~dp0"
call "tools\windows\opzetten.cmd" || goto :einde
set "NAAM=%~1"
if not defined NAAM set /p "NAAM=Naam van de nieuwe werkmap (bijvoorbeeld DOS-2026-100 Jansen): "
if not defined NAAM (
  echo Geen naam opgegeven; er is niets gemaakt.
  goto :einde
)
set "BESTAND=input\%NAAM%"
if /i not "%BESTAND:~-5%"==".xlsx" set "BESTAND=%BESTAND%.xlsx"
".venv\Scripts\python.exe" -m pipeline new-case "%BESTAND%"
if errorlevel 1 goto :einde
echo Vul de werkmap in, sla haar op en dubbelklik daarna verwerk.cmd.
start "" "%BESTAND%"
:einde
echo.
pause
