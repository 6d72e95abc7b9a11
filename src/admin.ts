// Entry point of the administrator console (admin.html).
import './admin/components/console/console.ts';
