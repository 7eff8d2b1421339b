; Windows installer additions (included by electron-builder.yml → nsis.include). Saved as UTF-8 with a BOM
; so NSIS reads the accents.
;  - "Open with Pregón" for .csv and .xlsx: listed under OpenWithProgids only, so Excel stays the default.
;  - The uninstaller keeps campaigns, contacts and access tokens (%APPDATA%\pregon) unless the owner says
;    to delete them; an update (which uninstalls the old version) and a silent uninstall never ask.

!macro pregonOpenWith EXT
  WriteRegStr SHCTX "Software\Classes\Pregon.${EXT}" "" "Pregón"
  WriteRegStr SHCTX "Software\Classes\Pregon.${EXT}\DefaultIcon" "" "$INSTDIR\${APP_EXECUTABLE_FILENAME},0"
  WriteRegStr SHCTX "Software\Classes\Pregon.${EXT}\shell\open\command" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'
  WriteRegStr SHCTX "Software\Classes\.${EXT}\OpenWithProgids" "Pregon.${EXT}" ""
!macroend

!macro pregonForgetOpenWith EXT
  DeleteRegValue SHCTX "Software\Classes\.${EXT}\OpenWithProgids" "Pregon.${EXT}"
  DeleteRegKey SHCTX "Software\Classes\Pregon.${EXT}"
!macroend

!macro customInstall
  !insertmacro pregonOpenWith "csv"
  !insertmacro pregonOpenWith "xlsx"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, i 0, i 0)'
!macroend

!macro customUnInstall
  ${ifNot} ${isUpdated}
    !insertmacro pregonForgetOpenWith "csv"
    !insertmacro pregonForgetOpenWith "xlsx"
    ; Windows' own display language, not the installer's (which may be English only): Spanish is 0x0A.
    System::Call 'kernel32::GetUserDefaultUILanguage() i .R8'
    IntOp $R8 $R8 & 0x3FF
    ${if} $R8 == 10
      StrCpy $R9 "¿Borrar también tus campañas, contactos y cuentas de WhatsApp de este equipo?$\n$\nSi dices que no, se quedan en $APPDATA\pregon y Pregón los encuentra si lo vuelves a instalar."
    ${else}
      StrCpy $R9 "Also delete your campaigns, contacts and WhatsApp accounts from this computer?$\n$\nIf you say no, they stay in $APPDATA\pregon and Pregón finds them if you install it again."
    ${endIf}
    MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 "$R9" /SD IDNO IDNO pregonKeepData
      SetShellVarContext current
      RMDir /r "$APPDATA\pregon"
    pregonKeepData:
  ${endIf}
!macroend
